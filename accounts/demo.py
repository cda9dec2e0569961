"""Demo organisations and accounts: Incheon and its ten districts and counties."""

from django.db import transaction

from .models import Organisation, RoleGroup, User
from .roles import Role

DEMO_PASSWORD = "sangsaeng-demo"
# The demo accounts that sign in with a code share this authenticator key
# (hex; RFC 6238's test key). `manage.py demo_totp USERNAME` prints the current
# code; it serves only devices named DEMO_DEVICE_NAME, which only the demo has.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_DEVICE_NAME = "demo"
DEMO_TWO_FACTOR_USERNAMES = (
    "city",
    "reviewer1",
    "reviewer2",
    "reviewer3",
    "reviewer4",
    "reviewer5",
)

CITY = (
    "ICN",
    "인천광역시",
    "Incheon Metropolitan City",
    Organisation.Kind.METROPOLITAN_CITY,
)
DISTRICTS = [
    ("JG", "중구", "Jung-gu", Organisation.Kind.DISTRICT),
    ("DG", "동구", "Dong-gu", Organisation.Kind.DISTRICT),
    ("MH", "미추홀구", "Michuhol-gu", Organisation.Kind.DISTRICT),
    ("YS", "연수구", "Yeonsu-gu", Organisation.Kind.DISTRICT),
    ("ND", "남동구", "Namdong-gu", Organisation.Kind.DISTRICT),
    ("BP", "부평구", "Bupyeong-gu", Organisation.Kind.DISTRICT),
    ("GY", "계양구", "Gyeyang-gu", Organisation.Kind.DISTRICT),
    ("SG", "서구", "Seo-gu", Organisation.Kind.DISTRICT),
    ("GH", "강화군", "Ganghwa-gun", Organisation.Kind.COUNTY),
    ("OJ", "옹진군", "Ongjin-gun", Organisation.Kind.COUNTY),
]
EXPERTS = ("EXP", "외부 심사위원", "Outside reviewers", Organisation.Kind.EXTERNAL)

# username, first name, last name, organisation code, role, e-mail
DEMO_ACCOUNTS = [
    ("city", "일자리", "담당", "ICN", Role.CITY_MANAGER, "city@example.org"),
    ("reviewer1", "심사", "일", "ICN", Role.REVIEWER, "reviewer1@example.org"),
    ("reviewer2", "심사", "이", "EXP", Role.REVIEWER, "reviewer2@example.org"),
    ("reviewer3", "심사", "삼", "EXP", Role.REVIEWER, "reviewer3@example.org"),
    ("reviewer4", "심사", "사", "EXP", Role.REVIEWER, "reviewer4@example.org"),
    ("reviewer5", "심사", "오", "ICN", Role.REVIEWER, "reviewer5@example.org"),
    ("bupyeong", "부평", "담당", "BP", Role.DISTRICT_OFFICER, "bupyeong@example.org"),
    (
        "bupyeong-approver",
        "부평",
        "결재",
        "BP",
        Role.DISTRICT_APPROVER,
        "bupyeong-approver@example.org",
    ),
    ("seogu", "서구", "담당", "SG", Role.DISTRICT_OFFICER, "seogu@example.org"),
]


@transaction.atomic
def seed_organisations() -> dict[str, Organisation]:
    code, name_ko, name_en, kind = CITY
    city, _ = Organisation.objects.get_or_create(
        code=code, defaults={"name_ko": name_ko, "name_en": name_en, "kind": kind}
    )
    organisations = {code: city}
    for code, name_ko, name_en, kind in [*DISTRICTS, EXPERTS]:
        organisations[code], _ = Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "kind": kind,
                "parent": city,
            },
        )
    return organisations


@transaction.atomic
def seed_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts once; a second run leaves them (and any
    password a person changed) alone. Returns (username, role, organisation)."""
    organisations = seed_organisations()
    groups = {rg.code: rg.group for rg in RoleGroup.objects.select_related("group")}
    listed = []
    for username, first_name, last_name, org_code, role, email in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
                "organisation": organisations[org_code],
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.add(groups[role])
        if username in DEMO_TWO_FACTOR_USERNAMES:
            seed_demo_device(user)
        listed.append(
            (username, str(Role(role).label), organisations[org_code].name_ko)
        )
    return listed


def seed_demo_device(user: User) -> None:
    """A confirmed demo authenticator, unless the person has one of their own
    (or is part-way through setting one up)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(
            user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
        )


def demo_totp_key_for_people() -> str:
    """The demo key as typed into an authenticator app (base32, groups of four)."""
    from .twofactor import key_in_groups

    return key_in_groups(bytes.fromhex(DEMO_TOTP_KEY))


def demo_totp_code(username: str) -> str:
    """The current code of a demo account's demo authenticator."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(
        user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
    )
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{code:0{device.digits}d}"
