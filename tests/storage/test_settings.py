"""The settings contract of docs/deploy.md ("Files and cache across nodes"), read
the way a server reads it: the settings module imported in a new process with
the environment given."""

import json
import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

SECRET = "k" * 20 + "-Zx9!q2@w3#e4$r5%t6^y7&u8*i9(o0)p"
CACHE_URL = "redis://127.0.0.1:6379/2"
READ = (
    "import json, importlib, sys; "
    "s = importlib.import_module(sys.argv[1]); "
    "print(json.dumps({'CACHES': s.CACHES, 'STORAGES': s.STORAGES, "
    "'SESSION_ENGINE': s.SESSION_ENGINE, "
    "'IMG': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}, default=str))"
)
# Variables of the machine running the tests that would change the answers.
CONTRACT = (
    "SANGSAENG_CACHE_URL",
    "SANGSAENG_SINGLE_NODE",
    "SANGSAENG_STORAGE",
    "SANGSAENG_S3_BUCKET",
    "SANGSAENG_S3_ENDPOINT_URL",
    "SANGSAENG_S3_REGION",
    "SANGSAENG_S3_MEDIA_DOMAIN",
)


def _settings_of(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONTRACT}
    return subprocess.run(
        [sys.executable, "-c", READ, module],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_SECRET_KEY": SECRET,
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            **env,
        },
        capture_output=True,
        text=True,
    )


def _read(module: str, **env: str) -> dict:
    result = _settings_of(module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_a_cache_url_both_caches_are_one_redis_kept_apart_by_prefix():
    read = _read("config.settings.production", SANGSAENG_CACHE_URL=CACHE_URL)

    caches = read["CACHES"]
    for alias in ("default", "admin-chrome"):
        assert caches[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert caches[alias]["LOCATION"] == CACHE_URL
    assert caches["default"]["KEY_PREFIX"] != caches["admin-chrome"]["KEY_PREFIX"]
    assert read["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_production_without_a_shared_cache_refuses_to_start_and_says_what_to_set():
    result = _settings_of("config.settings.production")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SANGSAENG_CACHE_URL" in result.stderr
    assert "SANGSAENG_SINGLE_NODE=1" in result.stderr


def test_one_node_may_keep_the_cache_in_each_process():
    read = _read("config.settings.production", SANGSAENG_SINGLE_NODE="1")

    assert {c["BACKEND"] for c in read["CACHES"].values()} == {
        "django.core.cache.backends.locmem.LocMemCache"
    }


def test_the_cache_may_not_share_the_brokers_redis_database():
    result = _settings_of(
        "config.settings.production", SANGSAENG_CACHE_URL="redis://127.0.0.1:6379/0"
    )

    assert result.returncode != 0 and "CELERY_BROKER_URL" in result.stderr


def test_s3_storage_keeps_private_files_signed_for_a_minute_and_never_overwritten():
    read = _read(
        "config.settings.base",
        SANGSAENG_STORAGE="s3",
        SANGSAENG_S3_BUCKET="incheon-jobs",
        SANGSAENG_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )

    private = read["STORAGES"]["private"]
    media = read["STORAGES"]["default"]
    assert private["BACKEND"] == media["BACKEND"] == "storages.backends.s3.S3Storage"
    options = private["OPTIONS"]
    assert options["bucket_name"] == "incheon-jobs"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "ap-northeast-2"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    assert options["location"] == "private"
    assert media["OPTIONS"]["location"] == "media"
    assert media["OPTIONS"]["file_overwrite"] is False
    # Public pages may show images from the store; nothing else is allowed.
    assert "http://127.0.0.1:9000" in read["IMG"]


def test_the_filesystem_is_the_default_with_the_private_folder_from_the_environment(
    tmp_path,
):
    read = _read("config.settings.base", DJANGO_PRIVATE_ROOT=str(tmp_path / "nas"))

    private = read["STORAGES"]["private"]
    assert private["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert private["OPTIONS"]["location"] == str(tmp_path / "nas")
    assert read["IMG"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    "env, named",
    [
        ({"SANGSAENG_STORAGE": "s3"}, "SANGSAENG_S3_BUCKET"),
        ({"SANGSAENG_STORAGE": "nas"}, "SANGSAENG_STORAGE"),
    ],
)
def test_an_incomplete_storage_setting_refuses_to_start(env, named):
    result = _settings_of("config.settings.base", **env)

    assert result.returncode != 0 and named in result.stderr


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


SHARE = (
    "import sys, django; django.setup(); "
    "from django.core.cache import caches; "
    "key, value = sys.argv[1], sys.argv[2]; "
    "print(caches['default'].get(key)) if value == '?' "
    "else caches['default'].set(key, value, 60)"
)


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_a_value_cached_by_one_process_is_read_by_another():
    env = {
        **{k: v for k, v in os.environ.items() if k not in CONTRACT},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SANGSAENG_CACHE_URL": "redis://127.0.0.1:6379/13",
    }
    key = f"storage-test-{uuid.uuid4().hex}"

    def run(value: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", SHARE, key, value],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("부평구 180")
    assert run("?") == "부평구 180"
