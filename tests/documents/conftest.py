from tests.competitions.conftest import (  # noqa: F401
    call,
    call_index,
    panel,
)
from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401
