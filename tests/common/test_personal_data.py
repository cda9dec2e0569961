"""The personal data detector: what it refuses, what it lets through, and how
well it does on the labelled set (bench/data/personal_data_cases.tsv)."""

import pytest

from bench.bench_personal_data import evaluate
from common.personal_data import (
    find_personal_data,
    number_as_text,
    participant_code_ok,
    rrn_checksum_ok,
    scan_personal_data,
)


def test_the_detector_meets_its_targets_on_the_labelled_set():
    result = evaluate()
    assert result["cases"] >= 200
    assert result["precision"] >= 0.95, result["false_alarms"]
    assert result["recall_rrn_phone_email"] >= 0.95, result["misses"]
    assert result["recall_names"] >= 0.8, result["misses"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("8503151234566", ["rrn"]),  # bare, valid checksum
        (
            "850315 1234567",
            ["rrn"],
        ),  # separated: the checksum is not needed (post-2020 numbers have none)
        ("850315 - 1234567", ["rrn"]),
        ("9 0 0 1 0 1 - 1 2 3 4 5 6 7", ["rrn"]),
        ("900101-1******", ["rrn"]),
        ("880707-5123456", ["frn"]),
        ("+82 10-1234-5678", ["mobile"]),
        ("+821098765432", ["mobile"]),
        ("(010) 1234-5678", ["mobile"]),
        ("032-440-1234", ["phone"]),
        ("(032) 440-1234", ["phone"]),
        ("+82 32 440 1234", ["phone"]),
        ("참여자 김철수(45세) 씨", ["name"]),
        ("성명: 박영희", ["name"]),
        ("김순자 어르신(72세)", ["name"]),
    ],
)
def test_personal_data_in_any_common_writing_is_found(text, kinds):
    assert find_personal_data(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "8503151234567",  # a bare 13-digit run without a valid checksum: an account or reference number
        "2019031512345",  # not a date
        "1,000원",
        "2019-03",
        "961가구, 2,634회",
        "김장 나눔 행사",
        "김포 물류센터",
        "이천 견학",
        "박람회 참가",
        "이용자님 만족도",
        "강사님 3명",
        "1588-1234",
        "사업자등록번호 123-45-67890",
        "김○○ 참여자",
        "김모 씨",
    ],
)
def test_ordinary_report_text_is_not_taken_for_personal_data(text):
    assert find_personal_data(text) == []


def test_findings_are_masked():
    masked = [
        f.masked
        for f in scan_personal_data(
            "850315-1234566, 010-1234-5678, kim@ex.org, 김철수 씨"
        )
    ]
    assert masked == ["850315-*******", "010-****-****", "k***@ex.org", "김**"]


def test_the_checksum_of_a_pre_2020_number():
    assert rrn_checksum_ok("8503151234566")
    assert not rrn_checksum_ok("8503151234567")


def test_a_numeric_cell_is_read_as_the_digits_typed():
    assert number_as_text(8503151234566) == "8503151234566"
    assert (
        number_as_text(103154123008) == "0103154123008"
    )  # born 2001: the leading zero was lost
    assert number_as_text(1234) is None
    assert number_as_text(True) is None


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("P-0001", True),
        ("BP-19-001", True),
        ("BP-771", True),
        ("P-01", False),
        ("KIM-001", False),
        ("홍길동", False),
        ("P-1234567", False),
        ("p-0001", False),
        ("HONGGILDONG", False),
    ],
)
def test_participant_codes_follow_one_pseudonymous_pattern(code, ok):
    assert participant_code_ok(code) is ok
