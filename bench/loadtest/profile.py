"""Cost of single requests of the rush, one at a time, against a database
holding the demo (``python -m bench.loadtest.profile`` with the load settings and
DATABASE_URL of such a database): median CPU ms and queries of each step over
a few runs after a warm-up, and with ``--profile NAME`` a pyinstrument profile
(pyinstrument must be importable) of that step into var/load/profile-NAME.html.

Made to find where a request's time goes before changing anything (issue 26);
the load test measures the same steps under load.
"""

import argparse
import os
import statistics
import sys

import django


def _cpu_ms(work) -> float:
    from common.cpu_middleware import cpu_seconds

    started = cpu_seconds()
    work()
    return (cpu_seconds() - started) * 1000


def _profile(name, step, folder) -> None:
    """cProfile on CPU time (not wall time: the machine is shared), sorted by
    cumulative and own time, and the request's queries grouped by their text."""
    import cProfile
    import io
    import pstats
    import re
    import time
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profiler = cProfile.Profile(time.process_time)
    with CaptureQueriesContext(connection) as captured:
        profiler.runcall(step)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(30)
    shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", q["sql"])[:220] for q in captured)
    text.write("\n\nqueries by shape\n")
    for shape, count in shapes.most_common(40):
        text.write(f"{count:4d}  {shape}\n")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"profile-{name}.txt").write_text(text.getvalue())
    print(f"  profile: {folder / f'profile-{name}.txt'}")


def _form_data(client, url: str) -> dict:
    """What a browser posts back of the form at ``url``: its fields and every
    inline row as the page holds them (the test environment records the
    context; only for this one request, it costs time)."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        form = client.get(url).context["form"]
    finally:
        teardown_test_environment()
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for formset in form.formsets.values():
        data.update(
            {
                f"{formset.prefix}-{key}": value
                for key, value in formset.management_form.initial.items()
            }
        )
        for index, child in enumerate(formset.forms):
            for name in child.fields:
                value = child[name].value()
                data[f"{formset.prefix}-{index}-{name}"] = (
                    "" if value is None else value
                )
    return data


def _submittable_drafts(call):
    """The load test's drafts whose district may still send one more, one at
    a time: each submit step takes the next (a proposal is submitted once)."""
    from competitions.models import Proposal
    from competitions.workflow import COUNTING_STATUSES

    for proposal in Proposal.objects.filter(
        call=call, status="draft", created_by__username__contains="-load-"
    ).select_related("created_by", "district"):
        sent = Proposal.objects.filter(
            call=call, district=proposal.district, status__in=COUNTING_STATUSES
        ).count()
        if sent < call.max_proposals_per_district:
            yield proposal


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", default="")
    parser.add_argument("--only", default="")
    arguments = parser.parse_args()
    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from bench.loadtest.setup import PASSWORD, _draft, _open_call
    from common.cpu_middleware import cpu_seconds
    from competitions.models import Proposal

    officer = User.objects.get(username="bupyeong")
    call = _open_call()
    proposal = Proposal.objects.filter(
        call=call, created_by=officer, status="draft"
    ).first() or _draft(call, officer, 1)
    officer_client = Client(SERVER_NAME="127.0.0.1")
    officer_client.force_login(officer)
    city = User.objects.get(username="city")
    city_client = Client(SERVER_NAME="127.0.0.1")
    city_client.force_login(city)
    device = TOTPDevice.objects.filter(user=city, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=city, name="p", confirmed=True)
    session = city_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    edit = reverse("proposals:edit", args=[proposal.pk])
    form_data = _form_data(officer_client, edit)

    def save():
        return officer_client.post(edit, {**form_data, "summary": "profile"})

    drafts = _submittable_drafts(call)
    reused = Client(SERVER_NAME="127.0.0.1")

    def fresh_client():
        """A browser without cookies. One test client, reused: a new one loads
        the middleware again on its first request, which a server does not."""
        reused.cookies.clear()
        return reused

    def submit():
        """Prepared outside the measure: the next draft, its officer signed
        in and the form as the page holds it; measured: the press of submit."""
        draft = next(drafts)
        client = fresh_client()
        client.force_login(draft.created_by)
        url = reverse("proposals:edit", args=[draft.pk])
        data = {**_form_data(client, url), "action-submit": "submit"}
        return lambda: client.post(url, data)

    login = reverse("wagtailadmin_login")
    officers = iter(
        User.objects.filter(username__contains="-load-").order_by("pk")[:200]
    )

    def sign_in_password():
        client = fresh_client()
        username = next(officers).username
        return lambda: client.post(login, {"username": username, "password": PASSWORD})

    managers = iter(User.objects.filter(username__startswith="city-load-"))

    def sign_in_code():
        manager = next(managers, None) or User.objects.get(username="city-load-0")
        device = TOTPDevice.objects.get(user=manager, confirmed=True)
        device.last_t = -1  # a code is taken once; this run takes it again
        device.save(update_fields=["last_t"])
        client = fresh_client()
        client.post(login, {"username": manager.username, "password": PASSWORD})
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        token = f"{code.token():0{device.digits}d}"
        return lambda: client.post(reverse("accounts_2fa_verify"), {"otp_token": token})

    listing = f"{reverse('proposals:index')}?call={call.pk}"

    def after_save():
        """The page a save comes back to (the redirect the browser follows,
        with the "saved" message): saved outside the measure."""
        officer_client.post(edit, {**form_data, "summary": "profile"})
        return lambda: officer_client.get(edit)

    from projects.models import Project

    project = Project.objects.filter(district=officer.organisation).first()
    template = reverse("spreadsheets_template", args=[project.pk, "2019-10"])

    def filled_workbook() -> bytes:
        """The month's template as the district fills it in: a new narrative
        each time (a file equal to the saved version is not saved again)."""
        import io
        import time

        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(officer_client.get(template).content))
        for row in workbook["_sangsaeng"].iter_rows(min_row=6, values_only=True):
            if row[0] == "narrative":
                workbook["실적"][row[3]] = f"profile {time.time_ns()}"
        filled = io.BytesIO()
        workbook.save(filled)
        return filled.getvalue()

    upload = reverse("spreadsheets_upload", args=[project.pk, "2019-10"])

    def uploaded(data: bytes):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return officer_client.post(
            upload, {"file": SimpleUploadedFile("report.xlsx", data)}
        )

    def upload_preview():
        data = filled_workbook()
        return lambda: uploaded(data)

    def confirm_upload():
        """The press of "save" under a preview: uploaded outside the measure."""
        import re

        page = uploaded(filled_workbook()).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        confirm = reverse("spreadsheets_upload_confirm", args=[project.pk, "2019-10"])
        return lambda: officer_client.post(confirm, {"token": token})

    def city_home_cold():
        """The city's home page with nothing kept in the shared cache (the
        first after a deploy, or after a report accepted moved the figures)."""
        from django.core.cache import cache

        cache.clear()
        return lambda: city_client.get(reverse("wagtailadmin_home"))

    steps = {
        "sign_in_form": lambda: fresh_client().get(login),
        "sign_in_password": sign_in_password,
        "sign_in_code": sign_in_code,
        "open_draft": lambda: officer_client.get(edit),
        "save_draft": save,
        "submit": submit,
        "after_save": after_save,
        "report_template": lambda: officer_client.get(template),
        "upload_preview": upload_preview,
        "confirm_upload": confirm_upload,
        "proposal_list": lambda: officer_client.get(listing),
        "admin_home": lambda: officer_client.get(reverse("wagtailadmin_home")),
        "dashboard": lambda: city_client.get(
            f"{reverse('evaluation_dashboard')}?year=2019&month=9"
        ),
        "city_home": lambda: city_client.get(reverse("wagtailadmin_home")),
        "city_home_cold": city_home_cold,
        "city_proposals": lambda: city_client.get(listing),
        "overdue": lambda: city_client.get(reverse("reporting_overdue")),
    }
    # Steps whose every run needs something new (a draft not yet sent, a
    # person not yet signed in): called first, outside the measure, they
    # return what is measured.
    prepared = {
        "submit",
        "upload_preview",
        "confirm_upload",
        "sign_in_password",
        "sign_in_code",
        "after_save",
        "city_home_cold",
    }
    from bench.machine import _loop

    # The loop's CPU time, not its wall time: the machine is shared.
    loop_ms = statistics.median(_cpu_ms(_loop) for _ in range(3))
    print(f"machine_loop_ms: {loop_ms:.1f}")
    for name, step in steps.items():
        if arguments.only and name not in arguments.only.split(","):
            continue

        def ready(step=step, name=name):
            return step() if name in prepared else step

        ready()()  # warm
        cpu, queries, status = [], [], None
        for _ in range(arguments.runs):
            act = ready()
            started = cpu_seconds()
            with CaptureQueriesContext(connection) as captured:
                response = act()
            cpu.append((cpu_seconds() - started) * 1000)
            queries.append(len(captured))
            status = response.status_code
        median = statistics.median(cpu)
        print(
            f"{name}: status {status}, cpu_ms {median:.1f}, ratio "
            f"{median / loop_ms:.2f}, queries {statistics.median(queries):g}"
        )
        if arguments.profile == name:
            _profile(name, ready(), settings.BASE_DIR / "var" / "load")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.load")
    # One process: its own cache is the truth (production asks for a shared one).
    os.environ.setdefault("SANGSAENG_SINGLE_NODE", "1")
    sys.exit(main())
