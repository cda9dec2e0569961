"""Spotting personal data in free text before it is stored.

Reports, imports and comments carry counts only; a resident registration number,
a mobile number or an e-mail address in a narrative is refused. The patterns are
deliberately a little wider than the canonical forms (spaces or dots instead of
hyphens), because that is how such numbers are typed in practice.
"""

import re
from enum import StrEnum


class PersonalDataKind(StrEnum):
    RESIDENT_REGISTRATION_NUMBER = "rrn"
    MOBILE_NUMBER = "mobile"
    EMAIL_ADDRESS = "email"


_PATTERNS = [
    # ######-####### (주민등록번호): six digits of birth date, seven more.
    (
        PersonalDataKind.RESIDENT_REGISTRATION_NUMBER,
        re.compile(r"(?<!\d)\d{6}\s?[-–]\s?\d{7}(?!\d)"),
    ),
    # 010-####-#### and the older 011/016/017/018/019 prefixes.
    (
        PersonalDataKind.MOBILE_NUMBER,
        re.compile(r"(?<!\d)01[016789][\s.-]?\d{3,4}[\s.-]?\d{4}(?!\d)"),
    ),
    (
        PersonalDataKind.EMAIL_ADDRESS,
        re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE),
    ),
]


def find_personal_data(text: str | None) -> list[str]:
    """The kinds of personal data (``PersonalDataKind`` codes) that appear in a
    text, each once, in a stable order; empty when the text looks clean."""
    if not text:
        return []
    return [kind.value for kind, pattern in _PATTERNS if pattern.search(text)]


# For messages that carry both languages in one string ("한국어 / English").
BILINGUAL_NAMES = {
    PersonalDataKind.RESIDENT_REGISTRATION_NUMBER: ("주민등록번호", "resident registration number"),
    PersonalDataKind.MOBILE_NUMBER: ("휴대전화 번호", "mobile phone number"),
    PersonalDataKind.EMAIL_ADDRESS: ("전자우편 주소", "e-mail address"),
}


def personal_data_names(kinds: list[str]) -> tuple[str, str]:
    """The kinds as a Korean list and an English list."""
    names = [BILINGUAL_NAMES[PersonalDataKind(kind)] for kind in kinds]
    return ", ".join(ko for ko, _en in names), ", ".join(en for _ko, en in names)
