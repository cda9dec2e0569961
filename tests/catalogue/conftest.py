from tests.competitions.conftest import call_index  # noqa: F401
