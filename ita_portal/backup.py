"""Backup and restore of the database and the uploaded files together (manage.py backup / restore).

A backup is a directory:
    database.json   every row, read in one consistent snapshot (REPEATABLE READ on PostgreSQL)
    media/…         every file the snapshot refers to, read through Django's storage API (the file
                    system or object storage alike)
    manifest.json   the SHA-256 and size of each of them
Files are copied after the snapshot: stored names are random and never rewritten, so every file the
rows name is there (one that is not is listed as missing, never silently skipped).
"""

import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class BackupError(Exception):
    """The backup is incomplete or changed; raised before anything is replaced."""


class RestoreIncomplete(Exception):
    """Raised after the database was replaced: the files are only partly back."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def backup(target: Path) -> dict:
    target.mkdir(parents=True, exist_ok=False)
    names = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:  # one snapshot for every table
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Primary keys kept: public addresses name them (/u/<unit>/files/<id>/).
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED,
                     output=str(target / "database.json"), verbosity=0)
        for model, field in file_fields():
            for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                names[name] = field.storage
    files, missing = {}, []
    for name, storage in sorted(names.items()):
        destination = target / "media" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as source, open(destination, "wb") as out:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    out.write(chunk)
        except (FileNotFoundError, OSError):
            missing.append(name)
            continue
        files[f"media/{name}"] = {"sha256": sha256_of(destination), "size": destination.stat().st_size}
    files["database.json"] = {"sha256": sha256_of(target / "database.json"), "size": (target / "database.json").stat().st_size}
    manifest = {"created_at": timezone.now().isoformat(), "files": files, "missing": missing}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def verify(source: Path) -> dict:
    """The manifest, once every file in it is there with its SHA-256; BackupError otherwise."""
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    for relative, expected in manifest["files"].items():
        path = source / relative
        if not path.is_file() or sha256_of(path) != expected["sha256"]:
            raise BackupError(f"{relative} is missing or changed since the backup (SHA-256 differs).")
    return manifest


def restore(source: Path) -> dict:
    """Replace the database's rows and put back every file, after checking the whole backup."""
    manifest = verify(source)
    from django.core.files.storage import storages
    from django.test.utils import override_settings

    # The history rows are in the backup: loading the models' many-to-many fields must not write
    # new ones (their ids, from a reset sequence, collide with the ones being restored).
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(source / "database.json"), verbosity=0)
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
