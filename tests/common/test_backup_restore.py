"""`make backup` / `make restore`: a backup restored into a fresh, empty database
holds the same rows, and the uploaded files come back."""

import json
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from common.backup import BackupError, backup_create, backup_restore

COUNT_SCRIPT = (
    "import json; from django.apps import apps; "
    "print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))"
)


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the same engine as the tests use."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["USER"] else ""
    yield f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_fresh_database_has_the_same_rows_and_files(
    tmp_path, fresh_database, city_manager, bupyeong_officer, seogu_officer, home_page
):
    private = storages["private"]
    saved_name = private.save("attachments/plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    expected = _row_counts()
    archive = backup_create(destination_dir=tmp_path / "backups")

    restored_var = tmp_path / "restored-var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": fresh_database,
        "SANGSAENG_VAR_DIR": str(restored_var),
    }
    manage = [sys.executable, "manage.py"]
    restore = subprocess.run(
        [*manage, "restore", str(archive), "--yes"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert restore.returncode == 0, restore.stderr
    counted = subprocess.run(
        [*manage, "shell", "-c", COUNT_SCRIPT],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(counted.stdout.strip().splitlines()[-1]) == expected
    restored_file = (
        restored_var
        / settings.TEST_VAR_DIR.relative_to(settings.VAR_DIR)
        / "private"
        / saved_name
    )
    assert restored_file.read_bytes() == b"%PDF-1.4 plan"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_another_database_engine(tmp_path, orgs):
    archive = backup_create(destination_dir=tmp_path)
    import tarfile

    tampered = tmp_path / "other-engine.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data.read())
                manifest["engine"] = "oracle"
                payload = json.dumps(manifest).encode()
                member.size = len(payload)
                import io

                data = io.BytesIO(payload)
            target.addfile(member, data)
    before = _row_counts()
    with pytest.raises(BackupError, match="oracle"):
        backup_restore(archive_path=tampered)
    assert _row_counts() == before


def test_restore_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(BackupError, match="No backup file"):
        backup_restore(archive_path=tmp_path / "nope.tar.gz")
