from .fixtures import bupyeong_project, seogu_project  # noqa: F401
