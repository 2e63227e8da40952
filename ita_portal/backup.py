"""Backup and restore of the database and every stored file together (manage.py backup / restore).

A backup is a directory:
    database.dump   PostgreSQL: `pg_dump --format=custom` (every table, its sequences; restored with
                    `pg_restore`), streamed by PostgreSQL's own tools, so it scales to years of audit rows
    database.json   SQLite (the embedded default): every row, from `dumpdata`
    media/…         EVERY file in the storage (the file system under MEDIA_ROOT or the bucket), found
                    by walking the storage itself — not only the names model FileFields hold: the
                    onboarding import keeps its spreadsheets under `imports/` with the name in a text
                    column, and a backup that followed FileFields missed all of them
    manifest.json   the SHA-256 and size of each of them, and the number of rows of every table

On PostgreSQL the row counts, the names the rows refer to and the dump are one snapshot
(`pg_export_snapshot()` handed to `pg_dump --snapshot`). Files are copied after it: stored names are
random and never rewritten, so every file the snapshot's rows name is there (one that is not is
listed as missing, never silently skipped). A restore checks every SHA-256 first, then replaces the
database (`pg_restore --clean --single-transaction`: all or nothing), compares the row counts with
the manifest, and puts every file back under its own name.
"""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]  # the JSON form only
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup is incomplete or changed; raised before anything is replaced."""


class RestoreIncomplete(Exception):
    """Raised after the database was replaced: the files are only partly back."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def walk(storage, folder: str = ""):
    """Every file name in a storage, through its API (local disk and bucket alike)."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing stored
        return
    for name in names:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


def _stored_files() -> dict:
    """{name: storage} over the default storage and any other storage a FileField names."""
    found = {}
    for storage in [storages["default"], *{id(f.storage): f.storage for _m, f in file_fields()}.values()]:
        for name in walk(storage):
            found.setdefault(name, storage)
    return found


def _referenced_names() -> set:
    return {name for model, field in file_fields()
            for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)}


def _tables() -> list:
    return sorted(connection.introspection.table_names())


def row_counts() -> dict:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list, dict]:
    """The connection arguments of PostgreSQL's tools for the default database, and their environment."""
    db = connection.settings_dict
    args = ["--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ, **({"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {})}
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install PostgreSQL's client tools (scripts/ensure-system.sh).")
    return found


def _dump_database(target: Path) -> tuple[str, dict, set]:
    """(file name, row counts, names the rows refer to), all of one snapshot."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor != "postgresql":
            call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED,
                         output=str(target / "database.json"), verbosity=0)
            return "database.json", row_counts(), _referenced_names()
        snapshot = None
        with connection.cursor() as cursor:
            if outermost:  # one snapshot for the counts, the names and pg_dump
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
        counts, names = row_counts(), _referenced_names()
        args, env = _pg_env()
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args,
                   "--file", str(target / "database.dump"), *([f"--snapshot={snapshot}"] if snapshot else []),
                   connection.settings_dict["NAME"]]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return "database.dump", counts, names


def backup(target: Path) -> dict:
    target.mkdir(parents=True, exist_ok=False)
    database, counts, referenced = _dump_database(target)
    files, missing = {}, []
    stored = _stored_files()
    for name in sorted(set(stored) | referenced):
        destination = target / "media" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        storage = stored.get(name, storages["default"])
        digest, size = hashlib.sha256(), 0
        try:
            with storage.open(name, "rb") as source, open(destination, "wb") as out:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        except OSError:  # named by a row but not in the storage (FileNotFoundError), or gone meanwhile
            destination.unlink(missing_ok=True)
            missing.append(name)
            continue
        files[f"media/{name}"] = {"sha256": digest.hexdigest(), "size": size}
    files[database] = {"sha256": sha256_of(target / database), "size": (target / database).stat().st_size}
    manifest = {"created_at": timezone.now().isoformat(), "database": database, "vendor": connection.vendor,
                "files": files, "missing": sorted(set(missing) & referenced), "tables": counts}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def verify(source: Path) -> dict:
    """The manifest, once every file in it is there with its SHA-256; BackupError otherwise."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    for relative, expected in manifest["files"].items():
        path = source / relative
        if not path.is_file() or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"{relative} is missing or changed since the backup (SHA-256 differs).")
    database = manifest.get("database", "database.json")
    if (database == "database.dump") != (connection.vendor == "postgresql"):
        raise BackupError(f"{database} cannot be restored into {connection.vendor}: a PostgreSQL backup goes "
                          "back into PostgreSQL, a JSON one into SQLite.")
    return manifest


def _restore_database(source: Path, manifest: dict) -> None:
    if manifest.get("database", "database.json") == "database.json":
        # The history rows are in the backup: loading the models' many-to-many fields must not write
        # new ones (their ids, from a reset sequence, collide with the ones being restored).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(source / "database.json"), verbosity=0)
        return
    connection.close()  # pg_restore drops and recreates the tables: no session of ours may hold them
    args, env = _pg_env()
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
               "--exit-on-error", *args, "--dbname", connection.settings_dict["NAME"], str(source / "database.dump")]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:  # one transaction: nothing was changed
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def restore(source: Path) -> dict:
    """Replace the database's rows and put back every file, after checking the whole backup."""
    manifest = verify(source)
    _restore_database(source, manifest)
    if manifest.get("database") == "database.dump":
        now = row_counts()
        differ = {table: (count, now.get(table)) for table, count in manifest["tables"].items() if now.get(table) != count}
        if differ:
            raise RestoreIncomplete(f"The database was restored, but these tables differ from the backup "
                                    f"(rows in the backup, rows now): {differ}")
    storage_of = {name: field.storage for model, field in file_fields()
                  for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)}
    for relative in manifest["files"]:
        if not relative.startswith("media/"):
            continue
        name = relative.removeprefix("media/")
        storage = storage_of.get(name, storages["default"])
        if storage.exists(name):
            storage.delete(name)
        with open(source / relative, "rb") as handle:
            saved = storage.save(name, handle)
        if saved != name:  # the database is already replaced: not a "nothing was changed" error
            raise RestoreIncomplete(f"The database was restored, but {name} was stored as {saved}.")
    return manifest


def _stored_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_into_storage(source: Path, storage=None) -> dict:
    """Every file under `source` (the old MEDIA_ROOT) into the configured storage (the bucket) under
    the same name, each read back and checked by SHA-256; one already there with the same content
    is left alone, so the command can run again after an interruption. {"copied": […], "kept": […]}."""
    storage = storage or storages["default"]
    copied, kept = [], []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name, expected = path.relative_to(source).as_posix(), sha256_of(path)
        if storage.exists(name):
            if _stored_sha256(storage, name) == expected:
                kept.append(name)
                continue
            storage.delete(name)
        with open(path, "rb") as handle:
            saved = storage.save(name, handle)
        if saved != name or _stored_sha256(storage, saved) != expected:
            raise BackupError(f"{name} was not stored back identically (as {saved}); the rest was not copied.")
        copied.append(name)
    return {"copied": copied, "kept": kept}
