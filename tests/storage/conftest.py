"""An S3-compatible server on this machine (moto's server mode) and the
settings that put every stored file in it, as ``SANGSAENG_STORAGE=s3`` does in
production. The S3 tests skip only where moto is not installed
(requirements-dev.txt pins it, so CI has it)."""

import socket
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField

from common.models import private_storage
from tests.projects.fixtures import bupyeong_project, seogu_project  # noqa: F401

REGION = "ap-northeast-2"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "sangsaeng", "AWS_SECRET_ACCESS_KEY": "test-only"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of a local S3-compatible server, for the whole run."""
    server_module = pytest.importorskip("moto.server")
    port = free_port()
    server = server_module.ThreadedMotoServer(
        ip_address="127.0.0.1", port=port, verbose=False
    )
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The variables of docs/deploy.md that select the bucket."""
    return {
        "SANGSAENG_STORAGE": "s3",
        "SANGSAENG_S3_BUCKET": bucket,
        "SANGSAENG_S3_ENDPOINT_URL": endpoint,
        "SANGSAENG_S3_REGION": REGION,
        **CREDENTIALS,
    }


class Bucket:
    """A fresh bucket and what is stored in it, key by key."""

    def __init__(self, endpoint: str, name: str):
        self.endpoint, self.name = endpoint, name
        self.client = s3_client(endpoint)
        self.client.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(entry["Key"] for entry in listing.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    @property
    def environment(self) -> dict[str, str]:
        return s3_environment(self.endpoint, self.name)


def _private_file_fields() -> list[FileField]:
    """Every model field whose files are private (``storage=private_storage``).
    A field resolves its storage once, when its model is defined, so a test
    that changes STORAGES must hand the fields the new one too."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
        and getattr(field, "_storage_callable", None) is private_storage
    ]


def _files_under(folder: Path) -> list[Path]:
    return (
        sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    )


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch, tmp_path):
    """Every file in a new bucket, with the STORAGES that config/settings/base.py
    builds from the production variables. The local folders the filesystem
    storage would use are new and empty, and must stay empty."""
    from config.settings import base

    bucket = Bucket(s3_endpoint, f"sangsaeng-{uuid.uuid4().hex[:12]}")
    for name, value in bucket.environment.items():
        monkeypatch.setenv(name, value)
    local_private = Path(_test_private_root())
    before = _files_under(local_private)
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, **base._s3_storages()}
    for field in _private_file_fields():
        monkeypatch.setattr(field, "storage", storages["private"])
    yield bucket
    assert not _files_under(tmp_path / "private")
    assert not _files_under(tmp_path / "media")
    assert _files_under(local_private) == before


def _test_private_root() -> str:
    """The private folder of this test run (config/settings/test.py)."""
    from config.settings import test

    return test.STORAGES["private"]["OPTIONS"]["location"]
