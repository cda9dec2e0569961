"""Backup and restore of the whole installation: database and uploaded files.

A backup is one ``.tar.gz`` holding ``manifest.json``, the database dump and the
``media/`` and ``private/`` folders. The dump is consistent by construction:
PostgreSQL's ``pg_dump`` reads one snapshot, and SQLite's online backup API copies
one transaction-consistent state.

The files are read and written through the storage API (``storages["default"]``
and ``storages["private"]``), never as local folders: the same backup comes from
a local folder, a NAS mount or S3-compatible object storage, and restores into
any of them (common/storage.py).
"""

import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connection
from django.utils import timezone

from common.storage import stored_names

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


def _file_storages() -> dict[str, Storage]:
    """The archive's folder for each storage: public media, private files."""
    return {"media": storages["default"], "private": storages["private"]}


def _files_archive(archive: tarfile.TarFile, folder: str, storage: Storage) -> None:
    """Copy every stored file into the archive under ``folder/``, streamed from
    the storage (a file in S3 never needs a local copy of the whole folder)."""
    for name in stored_names(storage):
        with storage.open(name, "rb") as stored:
            entry = tarfile.TarInfo(f"{folder}/{name}")
            entry.size = stored.size
            entry.mtime = int(storage.get_modified_time(name).timestamp())
            entry.mode = 0o600
            archive.addfile(entry, stored)


def _files_restore(folder: Path, storage: Storage) -> None:
    """Replace the storage's files with those of the archive's folder: what the
    backup did not hold is deleted, what it held is saved under its own name
    (the database rows name them)."""
    for name in list(stored_names(storage)):
        storage.delete(name)
    if not folder.exists():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        with path.open("rb") as content:
            saved = storage.save(name, File(content, name=name))
        if saved != name:
            raise BackupError(
                f"The restored file {name} was stored as {saved}: another file "
                "took its name while the restore ran."
            )


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
            for folder, storage in _file_storages().items():
                _files_archive(archive, folder, storage)
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
        for folder, storage in _file_storages().items():
            _files_restore(work_dir / folder, storage)
    # Cached figures were of the replaced database (plan ids may be reused now).
    cache.clear()
    return manifest
