from django.utils import translation

from projects.models import ProjectStatus
from reporting.models import ReportStatus


def test_report_labels_are_korean_by_default_and_english_on_request():
    with translation.override("ko"):
        assert str(ReportStatus.RETURNED.label) == "보완 요청"
        assert str(ReportStatus.DRAFT.label) == "작성 중"
        assert str(ProjectStatus.ACTIVE.label) == "진행 중"
    with translation.override("en"):
        assert str(ReportStatus.RETURNED.label) == "Returned"
        assert str(ProjectStatus.ACTIVE.label) == "Active"


def test_our_catalogues_leave_wagtails_generic_words_alone():
    """A generic msgid of ours would rename Wagtail's own screens (its
    documents' "File", its page "Comment"s): ours carry a context instead."""
    import re
    from pathlib import Path

    from django.conf import settings

    for app in ("projects", "reporting"):
        po = Path(
            settings.BASE_DIR, app, "locale", "ko", "LC_MESSAGES", "django.po"
        ).read_text()
        plain = set(re.findall(r'^msgid "(.*)"$', po, re.M)) - set(
            re.findall(r'^msgctxt ".*"\nmsgid "(.*)"$', po, re.M)
        )
        assert not plain & {
            "File",
            "Comment",
            "Comments",
            "Draft",
            "Active",
            "Reject",
            "Reports",
            "title",
        }
    with translation.override("ko"):
        assert translation.pgettext("sangsaeng", "Comment") == "의견"
        assert translation.pgettext("report status", "Draft") == "작성 중"
