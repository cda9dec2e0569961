"""Spotting personal data in free text before it is stored.

Reports, imports and comments carry counts only (개인정보보호법: data minimisation).
``scan_personal_data`` finds, in any text a district enters:

- resident registration numbers (주민등록번호) and foreigner registration numbers
  (외국인등록번호), which share the shape YYMMDD-GNNNNNN (G = 1–4, 9, 0 for
  Koreans, 5–8 for foreigners). The rule, measured by ``bench/bench_personal_data.py``:

  * written 6 + 7 with a separator (hyphen, dash, dot, spaces): refused when the
    first six digits are a calendar date and G is a known gender digit. The
    checksum is *not* required, because numbers issued since October 2020 have
    none (the last six digits are random), and the separated shape is what a
    person's number looks like on paper;
  * a bare 13-digit run (or a 12-digit one that lost its leading zero in a
    numeric cell): refused when the date and G match *and* the checksum holds.
    A bare run is far more often an account or reference number; everybody old
    enough to be a participant was numbered before 2020, with a checksum.
  * 6 digits, a hyphen and G followed by asterisks ("900101-1******") still tells
    the birth date and sex, and is refused as well.

  A corporate registration number (법인등록번호, also 6 + 7) whose first six
  digits happen to be a date is refused too: reports have no use for it.
- mobile numbers (010, 011, 016–019) and landlines (02, 031–064, 070), written with
  hyphens, dots, spaces, parentheses or +82. Landlines need a separator (a bare
  9–10 digit run is too often something else); mobiles may be bare (01012345678).
- e-mail addresses.
- Korean personal names in context: a common surname followed by one or two
  syllables, with a cue that a person is meant — 씨 / 님 / a title after the name,
  an age or sex in parentheses ("김철수(45세)"), or a label or role before it
  ("성명: 김철수", "참여자 김철수"). Words that look like names ("이용자님",
  "강사님", "김장", "김포") are excluded by a stop-list.

Findings are masked (``Finding.masked``) so a refusal can say what was found
without echoing the personal data itself.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class PersonalDataKind(StrEnum):
    RESIDENT_REGISTRATION_NUMBER = "rrn"
    FOREIGNER_REGISTRATION_NUMBER = "frn"
    MOBILE_NUMBER = "mobile"
    PHONE_NUMBER = "phone"
    EMAIL_ADDRESS = "email"
    PERSONAL_NAME = "name"


KIND_NAMES = {
    PersonalDataKind.RESIDENT_REGISTRATION_NUMBER: _("resident registration number"),
    PersonalDataKind.FOREIGNER_REGISTRATION_NUMBER: _("foreigner registration number"),
    PersonalDataKind.MOBILE_NUMBER: _("mobile phone number"),
    PersonalDataKind.PHONE_NUMBER: _("phone number"),
    PersonalDataKind.EMAIL_ADDRESS: _("e-mail address"),
    PersonalDataKind.PERSONAL_NAME: _("personal name"),
}

# The kinds in both languages at once, for a spreadsheet cell problem, which
# keeps a Korean and an English message side by side and shows the reader's.
BILINGUAL_NAMES = {
    PersonalDataKind.RESIDENT_REGISTRATION_NUMBER: (
        "주민등록번호",
        "resident registration number",
    ),
    PersonalDataKind.FOREIGNER_REGISTRATION_NUMBER: (
        "외국인등록번호",
        "foreigner registration number",
    ),
    PersonalDataKind.MOBILE_NUMBER: ("휴대전화 번호", "mobile phone number"),
    PersonalDataKind.PHONE_NUMBER: ("전화번호", "phone number"),
    PersonalDataKind.EMAIL_ADDRESS: ("전자우편 주소", "e-mail address"),
    PersonalDataKind.PERSONAL_NAME: ("사람 이름", "personal name"),
}


@dataclass(frozen=True)
class Finding:
    kind: str  # a PersonalDataKind code
    start: int
    end: int
    masked: str  # the match with most of it hidden: "900101-1******", "김**", "k***@example.org"


# --- numbers --------------------------------------------------------------

_SEP = r"[ \t]*[-–—.‐][ \t]*|[ \t]+"
# 6 + 7 with a separator; digits may themselves be spaced one by one.
_RRN_SEPARATED = re.compile(
    r"(?<![\d.,])((?:\d ?){5}\d)(?:" + _SEP + r")((?:\d ?){6}\d)(?!\d|,\d)"
)
_RRN_PARTLY_MASKED = re.compile(r"(?<![\d.,])(\d{6})[ \t]*[-–—][ \t]*([1-8])[*xX●○]{6}")
_RRN_BARE = re.compile(r"(?<![\d.,\-])(\d{13})(?!\d|,\d)")
_GENDER_CENTURY = {
    "9": 1800,
    "0": 1800,
    "1": 1900,
    "2": 1900,
    "5": 1900,
    "6": 1900,
    "3": 2000,
    "4": 2000,
    "7": 2000,
    "8": 2000,
}

# Mobile: 010 etc., optionally as +82 10 / +82 (0)10 / 82-10.
_PHONE_SEP = r"[ \t]*[-.)·ㆍ–]?[ \t]*"
_MOBILE = re.compile(
    r"(?<![\d\w])(?:(?:\+|00)?82[ \t]*[-.]?[ \t]*(?:\(0\)[ \t]*)?0?|\(?0)"
    r"1[016789]\)?" + _PHONE_SEP + r"\d{3,4}" + _PHONE_SEP + r"\d{4}(?![\d])"
)
# Landline: 02, 031–033, 041–044, 051–055, 061–064 and 070, with a separator.
_AREA = r"(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70)"
_LANDLINE = re.compile(
    r"(?<![\d\w])(?:(?:\+|00)?82[ \t]*[-.]?[ \t]*(?:\(0\)[ \t]*)?0?"
    + _AREA
    + r"(?:[ \t]*[-.)·ㆍ–][ \t]*|[ \t]+)"
    r"|\(0" + _AREA + r"\)[ \t]*|0" + _AREA + r"(?:[ \t]*[-.)·ㆍ–][ \t]*|[ \t]+))"
    r"\d{3,4}[ \t]*[-. ·ㆍ–][ \t]*\d{4}(?![\d])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def _is_date(yymmdd: str, gender: str) -> bool:
    century = _GENDER_CENTURY.get(gender)
    if century is None:
        return False
    try:
        date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def rrn_checksum_ok(digits: str) -> bool:
    """The check digit of a 13-digit RRN / foreigner number issued before Oct 2020."""
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(digits[:12], weights, strict=True))
    expected = (11 - total % 11) % 10
    if digits[6] in "5678":  # foreigner numbers: the same sum, shifted by two
        expected = (13 - total % 11) % 10
    return expected == int(digits[12])


def _rrn_kind(digits: str) -> str:
    if digits[6] in "5678":
        return PersonalDataKind.FOREIGNER_REGISTRATION_NUMBER.value
    return PersonalDataKind.RESIDENT_REGISTRATION_NUMBER.value


def _mask_digits(text: str, keep: int) -> str:
    """Keep the first ``keep`` digits, hide the other digits, keep separators."""
    out, seen = [], 0
    for char in text:
        if char.isdigit():
            seen += 1
            out.append(char if seen <= keep else "*")
        else:
            out.append(char)
    return "".join(out)


def _numbers(text: str) -> list[Finding]:
    found = []
    for match in _RRN_SEPARATED.finditer(text):
        head, tail = match.group(1).replace(" ", ""), match.group(2).replace(" ", "")
        if _is_date(head, tail[0]):
            found.append(
                Finding(
                    _rrn_kind(head + tail),
                    match.start(),
                    match.end(),
                    _mask_digits(match.group(0), 6),
                )
            )
    for match in _RRN_PARTLY_MASKED.finditer(text):
        if _is_date(match.group(1), match.group(2)):
            found.append(
                Finding(
                    _rrn_kind(match.group(1) + match.group(2) + "000000"),
                    match.start(),
                    match.end(),
                    _mask_digits(match.group(0), 6),
                )
            )
    for match in _RRN_BARE.finditer(text):
        digits = match.group(1)
        if _is_date(digits[:6], digits[6]) and rrn_checksum_ok(digits):
            found.append(
                Finding(
                    _rrn_kind(digits),
                    match.start(),
                    match.end(),
                    _mask_digits(digits, 6),
                )
            )
    for pattern, kind in (
        (_MOBILE, PersonalDataKind.MOBILE_NUMBER),
        (_LANDLINE, PersonalDataKind.PHONE_NUMBER),
    ):
        for match in pattern.finditer(text):
            if any(f.start <= match.start() < f.end for f in found):
                continue
            # Keep the prefix only: 010-****-****, +82 10-****-****.
            shown = match.group(0)
            keep = (
                5
                if shown.startswith("0082")
                else 4
                if shown.lstrip("+(").startswith("82")
                else 3
            )
            found.append(
                Finding(
                    kind.value, match.start(), match.end(), _mask_digits(shown, keep)
                )
            )
    for match in _EMAIL.finditer(text):
        local, domain = match.group(0).split("@", 1)
        found.append(
            Finding(
                PersonalDataKind.EMAIL_ADDRESS.value,
                match.start(),
                match.end(),
                f"{local[:1]}***@{domain}",
            )
        )
    return found


def _words(text: str) -> list[str]:
    return text.split()


# --- names ----------------------------------------------------------------

# The commonest Korean surnames (together well over 95 % of the population);
# two-syllable ones first so that 남궁민 is read as 남궁 + 민.
_COMPOUND_SURNAMES = _words("황보 남궁 제갈 선우 독고 사공 서문 동방")
_SURNAMES = _words(
    "김 이 박 최 정 강 조 윤 장 임 림 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 "
    "남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 "
    "선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 "
    "가 복 태 목 형 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 서 시 견 당 화 창 옹 계"
)
_SURNAME = "(?:" + "|".join(_COMPOUND_SURNAMES + sorted(set(_SURNAMES))) + ")"
_PARTICLES = "은는이가을를의와과도에께만랑"
_NAME = _SURNAME + r"[가-힣]{1,2}"
# After the name: 씨 / 님 / a title, or an age or sex in parentheses.
_TITLES = (
    "씨|님|군|양|선생님?|어르신|할머니|할아버지|여사님?|참여자|참가자|대상자|근로자|강사|코치|활동가|"
    "조리사|교사|대표|사장|팀장|과장|계장|주무관|담당자?|주임|대리|반장|회원|학생|수강생|수료생|훈련생|"
    "이용자|보호자|어머니|아버지|할머님|할아버님"
)
_END = r"(?=$|[^가-힣]|[" + _PARTICLES + r"](?:$|[^가-힣]))"
_AFTER = re.compile(
    r"(?<![가-힣])(" + _NAME + r")(?:"
    r"(?:씨|님)"  # 김철수씨, 김철수님
    r"|[ \t]+(?:"
    + _TITLES
    + r")님?"
    + _END  # 김철수 참여자, 김철수 씨는
    + r"|[ \t]*[(（][ \t]*(?:만[ \t]*)?(?:\d{1,3}[ \t]*세|\d{1,3}[ \t]*[)）]|[남여][ \t]*[,/)）·]|[남여]성))"
)
# Before the name: a label, or a role noun.
_LABELS = "성명|이름|성함|참여자명|대상자명|담당자명|작성자|보고자|신청인|대표자"
_ROLES = "참여자|참가자|대상자|근로자|강사|코치|활동가|조리사|어르신|주민|씨|수강생|훈련생|채용자|퇴사자|입사자|신규자"
_BEFORE_LABEL = re.compile(
    r"(?:" + _LABELS + r")[ \t]*[:：]?[ \t]*(" + _NAME + r")(?![가-힣]{2})"
)
_BEFORE_ROLE = re.compile(
    r"(?:"
    + _ROLES
    + r")[ \t]+("
    + _SURNAME
    + r"[가-힣]{2})(?=$|[^가-힣]|["
    + _PARTICLES
    + r"](?:$|[^가-힣]))"
)
# Words that a surname + syllables pattern would take for a name.
_NOT_NAMES = set(
    _words(
        "이용 이용자 이웃 이번 이후 이전 이상 이하 이내 이사 이사장 이행 이수 이력 이주 이주민 이동 이해 이들 이를 "
        "김장 김포 김치 김밥 박람회 박물관 최근 최종 최대 최소 최고 최초 정부 정기 정규 정도 정보 정원 정착 정책 정산 "
        "강사 강의 강좌 강화 강화군 조리 조리사 조사 조기 조정 조합 조합원 조성 윤리 장애 장애인 장기 장소 장비 장년 "
        "임금 임대 임시 임원 한부모 한국 한글 한편 한달 한번 오전 오후 오늘 오류 서구 서비스 서류 서울 서로 신규 신청 신청자 "
        "신중년 신고 신설 권역 권장 황금 안내 안전 안정 송도 송년 유지 유형 유관 유아 유치원 전체 전년 전월 전원 전담 전문 "
        "전달 전환 전문가 홍보 고용 고객 고령 고령자 고등 고졸 문의 문화 문제 양성 양육 양질 손님 배치 배송 배정 배달 백화점 "
        "허가 남동 남동구 남성 남부 남자 심사 심리 노인 노동 노력 하루 하반기 하여 곽 성과 성별 성인 성실 차량 차장 주민 "
        "주무관 주간 주요 주말 주간 우리 우수 구청 구청장 구민 구직 구직자 민원 민간 진행 진로 나눔 나이 지역 지원 지원금 "
        "지급 지속 지도 지원자 엄마 채용 채용자 원장 원생 원활 천안 방문 방문자 방과후 공무원 공공 공모 공동 현장 현재 "
        "함께 변경 변화 여성 여름 여가 추진 추가 도서 도서관 도우미 소장 소득 소상공인 석사 선생 선정 선발 선임 설명 마을 "
        "마감 길잡이 연수 연수구 연계 연말 위원 위원장 위원회 표준 명예 명단 기사 기관 기간 기업 반장 반기 라인 왕복 금년 "
        "금액 인원 인건비 인력 인근 어르신 어린이 은행 용역 예산 예정 경력 경우 봉사 사장 사업 사무장 사회복지사 부모 부장 "
        "부평 부평구 가구 가정 가족 복지 태도 목표 동구 동료 동장 상담 상반기 상담사 시민 시장 계양구 계획 옹진군 국장 "
        "도우미님 이용자님 수강 보호 담당 수강생 모집 모두 모든 제공 제출 예비 소개 방송 공고 통해 우선 진흥 진단 "
        "연락 연락처 이메일 설명회 설명 휴대폰 전화 주소 성명 이름 성함 연령 연봉 근무 근무지 근속 결근 교육 면접 명의 "
        "여성인력 가능 상시 고정 육아 육아코칭 유형별 위탁 설치 제도 주민들 강사님 조리사님 대표 담당자"
    )
)


def _is_name(token: str) -> bool:
    stem = token[:-1] if len(token) > 2 and token[-1] in _PARTICLES else token
    return (
        token not in _NOT_NAMES
        and stem not in _NOT_NAMES
        and not token.endswith(("○", "*"))
    )


def looks_like_a_name(token: str) -> bool:
    """A bare word in a column headed 성명 / 이름: a common surname and one to
    three syllables, not an ordinary word."""
    return (
        bool(re.fullmatch(_SURNAME + r"[가-힣]{1,3}", token))
        and _is_name(token)
        and token[1:] != "모"
    )


def _names(text: str) -> list[Finding]:
    found = []
    for pattern in (_AFTER, _BEFORE_LABEL, _BEFORE_ROLE):
        for match in pattern.finditer(text):
            token = match.group(1)
            if token[1:] == "모" or not _is_name(token):  # 김모 씨: already anonymous
                continue
            start = match.start(1)
            found.append(
                Finding(
                    PersonalDataKind.PERSONAL_NAME.value,
                    start,
                    start + len(token),
                    token[0] + "*" * (len(token) - 1),
                )
            )
    return found


def scan_personal_data(text: str | None, *, names: bool = True) -> list[Finding]:
    """Every piece of personal data in a text, in order of appearance."""
    if not text:
        return []
    found = _numbers(text)
    if names:
        found += _names(text)
    unique: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -f.end)):
        if not any(
            f.kind == finding.kind and f.start <= finding.start < f.end for f in unique
        ):
            unique.append(finding)
    return unique


def find_personal_data(text: str | None) -> list[str]:
    """The kinds of personal data (``PersonalDataKind`` codes) that appear in a
    text, each once, in a stable order; empty when the text looks clean."""
    kinds = {finding.kind for finding in scan_personal_data(text)}
    return [kind.value for kind in PersonalDataKind if kind.value in kinds]


def number_as_text(value) -> str | None:
    """A numeric spreadsheet cell as the digits a person typed: an RRN typed
    without its hyphen becomes a number, and one born in the 2000s loses its
    leading zero. Only 12–13 digit whole numbers are worth a look."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    digits = str(int(value))
    if len(digits) == 12:
        digits = "0" + digits
    return digits if len(digits) == 13 else None


def personal_data_names(kinds: list[str]) -> tuple[str, str]:
    """The kinds as a Korean list and an English list."""
    names = [BILINGUAL_NAMES[PersonalDataKind(kind)] for kind in kinds]
    return ", ".join(ko for ko, _en in names), ", ".join(en for _ko, en in names)


def describe_findings(findings: list[Finding], *, limit: int = 3) -> str:
    """ "resident registration number 900101-1******, personal name 김**" in the
    active language, masked; at most ``limit`` findings."""
    parts = [
        f"{KIND_NAMES[PersonalDataKind(f.kind)]} {f.masked}" for f in findings[:limit]
    ]
    if len(findings) > limit:
        parts.append("…")
    return ", ".join(parts)


# --- participant codes ----------------------------------------------------

# A letter prefix (the district's code, or P), an optional two-digit year, a
# serial: P-0001, BP-001, BP-19-001. At most seven digits, never in a 6 + 7 or
# phone shape, no Hangul, no romanised name.
PARTICIPANT_CODE_PATTERN = re.compile(r"^[A-Z]{1,4}-(?:\d{2}-)?\d{3,5}$")
PARTICIPANT_CODE_EXAMPLE = "P-0001"
_ROMANISED_SURNAMES = set(
    _words(
        "KIM LEE PARK CHOI JUNG JEONG KANG CHO JO YOON YUN JANG CHANG LIM HAN SHIN SEO SUH KWON HWANG "
        "AHN SONG YOO RYU JEON CHUN HONG MOON YANG SON BAE BAEK HEO NAM SHIM NOH ROH KWAK SUNG CHA "
        "JOO WOO KOO MIN JIN CHAE CHOO"
    )
)


def participant_code_ok(code: str) -> bool:
    """Whether a roster code is pseudonymous in the one accepted pattern."""
    return (
        bool(PARTICIPANT_CODE_PATTERN.match(code))
        and code.split("-", 1)[0] not in _ROMANISED_SURNAMES
    )


def mask_text(text: str, *, keep: int = 1) -> str:
    """A short mask of any text, for echoing a refused value: "김**", "P-0***"."""
    text = str(text)
    if len(text) <= keep:
        return "*" * len(text)
    return text[:keep] + "*" * min(len(text) - keep, 8)
