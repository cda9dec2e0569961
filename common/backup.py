"""Backup and restore of the whole installation: database and uploaded files.

A backup is one ``.tar.gz`` holding ``manifest.json``, the database dump and the
``media/`` and ``private/`` folders. The dump is consistent by construction:
PostgreSQL's ``pg_dump`` reads one snapshot, and SQLite's online backup API copies
one transaction-consistent state.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", db["USER"]]
    return env, args


def _file_roots() -> dict[str, Path]:
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(storages["private"].location),
    }


def backup_create(*, destination_dir: Path) -> Path:
    """Write a backup archive into destination_dir and return its path."""
    engine = _engine()
    destination_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive_path = destination_dir / f"sangsaeng-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if engine == "postgresql":
            dump = work_dir / "database.pgdump"
            env, args = _pg_env_and_args()
            subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *args,
                    "-f",
                    str(dump),
                    connection.settings_dict["NAME"],
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        else:
            dump = work_dir / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created_at": datetime.now().astimezone().isoformat(),
            "database_file": dump.name,
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(archive_path, "w:gz") as archive:
            archive.add(work_dir / "manifest.json", arcname="manifest.json")
            archive.add(dump, arcname=dump.name)
            for name, root in _file_roots().items():
                if root.exists():
                    archive.add(root, arcname=name)
    return archive_path


def backup_restore(*, archive_path: Path) -> dict:
    """Replace the database and uploaded files with those of a backup archive."""
    engine = _engine()
    if not archive_path.is_file():
        raise BackupError(f"No backup file at {archive_path}.")
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work_dir, filter="data")
        manifest = json.loads((work_dir / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(
                "This backup was written by another version of the format."
            )
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup holds a {manifest['engine']} database; "
                f"the configured database is {engine}."
            )
        dump = work_dir / manifest["database_file"]
        if engine == "postgresql":
            env, args = _pg_env_and_args()
            connection.close()
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    *args,
                    "-d",
                    connection.settings_dict["NAME"],
                    str(dump),
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        else:
            source = sqlite3.connect(dump)
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        for name, root in _file_roots().items():
            restored = work_dir / name
            if root.exists():
                shutil.rmtree(root)
            if restored.exists():
                shutil.copytree(restored, root)
    # Cached figures were of the replaced database (plan ids may be reused now).
    cache.clear()
    return manifest
