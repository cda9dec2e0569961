from datetime import datetime

import pytest
from django.utils import timezone

from tests.competitions.conftest import call, call_index, open_call  # noqa: F401
from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401


@pytest.fixture
def frozen(monkeypatch):
    """Freeze ``timezone.now()`` (what the home page reads) at a moment."""

    def freeze(moment: datetime) -> datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
