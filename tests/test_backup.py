"""Backup and restore, round trip (committed data: a restore replaces whole tables): the database and every uploaded file, checked by SHA-256, and
every file served again after the restore."""

import hashlib
import io
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from ita_portal.backup import backup
from oit_items.channels.models import Complaint, ComplaintAttachment
from oit_items.evidence.models import AuditEvent, Evidence, Revision
from tests.conftest import make_pdf


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def served(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def stored_everything(committed_demo, client, users, approved_o7, upload_files):
    """Approved public files, a draft photo with its thumbnail, and a complaint's attachment."""
    assert upload_files(client, users["responsible"], [("ภาพกิจกรรม.jpg", jpeg())], period="m11").status_code == 302
    client.logout()
    complaint = Complaint.objects.create(unit=approved_o7.unit, subject="เรื่อง", text="ข้อความ", anonymous=True)
    attachment = ComplaintAttachment(complaint=complaint, original_name="หลักฐาน.pdf", extension="pdf",
                                     content_type="application/pdf", size=0, sha256="")
    attachment.file.save("a.pdf", SimpleUploadedFile("a.pdf", make_pdf()), save=True)


def every_file(client, users) -> dict:
    """What each stored file serves as, through the views people use."""
    client.force_login(users["admin"])
    found = {}
    for revision in Revision.objects.all():
        found[f"revision {revision.pk}"] = hashlib.sha256(served(client.get(f"/staff/files/{revision.pk}/"))).hexdigest()
        assert found[f"revision {revision.pk}"] == revision.sha256
    for attachment in ComplaintAttachment.objects.all():
        response = client.get(f"/staff/units/sn-buengkum/complaints/attachments/{attachment.pk}/")
        found[f"attachment {attachment.pk}"] = hashlib.sha256(served(response)).hexdigest()
    for evidence in Evidence.objects.filter(item_period__state="approved", kind="file"):
        public = client.get(f"/u/sn-buengkum/files/{evidence.current_revision_id}/")
        assert public.status_code == 200
    return found


def test_backup_then_restore_serves_every_file(committed_demo, client, users, stored_everything, tmp_path, settings):
    before = every_file(client, users)
    assert len(before) >= 4
    audit_count = AuditEvent.objects.count()
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["missing"] == [] and manifest["database"] in manifest["files"]  # database.dump on PostgreSQL
    for entry in manifest["files"].values():
        assert len(entry["sha256"]) == 64

    settings.MEDIA_ROOT = tmp_path / "empty-media"  # the files are gone (a new machine)
    Complaint.objects.update(subject="changed after the backup")
    call_command("restore", str(tmp_path / "backup"), yes=True, stdout=io.StringIO())
    assert every_file(client, users) == before
    assert Complaint.objects.get().subject == "เรื่อง" and AuditEvent.objects.count() == audit_count
    assert (tmp_path / "empty-media").is_dir()


def test_a_damaged_backup_is_refused_and_nothing_changes(committed_demo, client, users, stored_everything, tmp_path):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    victim = next(p for p in (tmp_path / "backup" / "media").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    Complaint.objects.update(subject="kept")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(tmp_path / "backup"), yes=True)
    assert Complaint.objects.get().subject == "kept"


def test_a_restore_that_fails_after_the_database_says_so(committed_demo, client, users, stored_everything, tmp_path,
                                                         settings, monkeypatch):
    """Once the rows are replaced, "Nothing was changed" would be untrue: the message says what happened."""
    from django.core.files.storage import FileSystemStorage

    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    Complaint.objects.update(subject="changed after the backup")
    monkeypatch.setattr(FileSystemStorage, "save", lambda self, name, content, max_length=None: name + "_x")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "backup"), yes=True, stdout=io.StringIO())
    assert "Nothing was changed" not in str(refused.value) and "database was restored" in str(refused.value)
    assert Complaint.objects.get().subject == "เรื่อง"  # it was


# --- Everything, in a form that scales (issue 22, point 4) ---------------------------------------


def media_checksums(root) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def a_spreadsheet() -> bytes:
    import openpyxl

    workbook, out = openpyxl.Workbook(), io.BytesIO()
    workbook.active.append(["ชื่อ", "ตำแหน่ง"])
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def separate_database():
    """A new, empty PostgreSQL database next to the test one; dropped afterwards. Its URL."""
    from django.db import connection

    from tests.conftest import require

    require(connection.vendor == "postgresql", "pg_dump / pg_restore need PostgreSQL")
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name, f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts_in(database: str) -> dict:
    """Rows per table of another database, read with its own connection."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=database,
                         password=db.get("PASSWORD") or None) as other:
        tables = [row[0] for row in other.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {table: other.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def test_everything_comes_back_on_a_separate_database_and_media(committed_demo, client, users, stored_everything,
                                                               tmp_path, settings, separate_database):
    """Every table by pg_dump (custom format), every file of the storage — the import spreadsheets
    under imports/ too, which no FileField names — restored by `manage.py restore` in another process
    on a new database and a new media folder: equal rows per table, equal SHA-256 for every file."""
    import datetime
    import subprocess
    import sys

    from ita_portal.backup import row_counts
    from ita_portal.lib import stored
    from ita_portal.lib.uploads import validate_upload
    from measures import progress
    from measures.models import MeasurePlan
    from units.models import Officer
    from units.onboarding import jobs

    jobs.start(users["admin"], [SimpleUploadedFile("บุคลากร สน.บึงกุ่ม.xlsx", a_spreadsheet())])
    sign = MeasurePlan.objects.get(unit__slug="sn-buengkum", fiscal_year=2567).measures.get(kind="no_gift_sign")
    progress.add_update(sign, users["admin"], datetime.date(2024, 3, 5), "ติดป้ายแล้ว", sign.status,
                        progress.validate_photos([SimpleUploadedFile("ป้าย.jpg", jpeg())]))
    officer = Officer.objects.filter(unit__slug="sn-buengkum").first()
    with stored.atomic():
        stored.store(officer, validate_upload(SimpleUploadedFile("รูป.jpg", jpeg())), file_field="photo", thumbnail_field=None)
        officer.save()
    original = media_checksums(settings.MEDIA_ROOT)
    assert any(name.startswith("imports/") for name in original)
    folders = {name.split("/")[0] for name in original}
    assert len(folders) >= 6 and {"evidence", "thumbnails", "imports"} <= folders, folders
    counts = row_counts()

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"] == "database.dump" and (tmp_path / "backup" / "database.dump").is_file()
    assert (tmp_path / "backup" / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert {k.removeprefix("media/"): v["sha256"] for k, v in manifest["files"].items() if k.startswith("media/")} == original
    assert manifest["tables"] == counts and manifest["missing"] == []

    name, url = separate_database
    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(restored_media), "DJANGO_SETTINGS_MODULE": "ita_portal.settings"}
    env.pop("S3_BUCKET", None)
    done = subprocess.run([sys.executable, "manage.py", "restore", str(tmp_path / "backup"), "--yes"], env=env,
                          cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    restored = counts_in(name)
    print(f"\nbackup → restore: {len(restored)} tables, {sum(restored.values())} rows, {len(original)} files; "
          + out.getvalue().strip() + " | " + done.stdout.strip())
    assert restored == counts  # every table, row for row
    assert media_checksums(restored_media) == original  # every file, byte for byte


def test_a_backup_lists_every_object_of_the_bucket(committed_demo, users, s3_storage, tmp_path, upload_files):
    from django.test import Client

    from units.onboarding import jobs

    assert upload_files(Client(), users["responsible"], [("ภาพกิจกรรม.jpg", jpeg())]).status_code == 302
    jobs.start(users["admin"], [SimpleUploadedFile("บุคลากร.xlsx", a_spreadsheet())])
    s3, bucket = s3_storage
    keys = {entry["Key"]: hashlib.sha256(s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()).hexdigest()
            for entry in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert any(key.startswith("imports/") for key in keys)
    manifest = backup(tmp_path / "b")
    assert {k.removeprefix("media/"): v["sha256"] for k, v in manifest["files"].items() if k.startswith("media/")} == keys


def test_local_files_are_copied_into_the_bucket_and_checked(s3_storage, tmp_path):
    """After switching to S3: `manage.py copy_media_to_storage` moves the old local files in, verified."""
    local = tmp_path / "old-media"
    for name, content in {"evidence/ab/1.pdf": make_pdf(), "thumbnails/cd/2.jpg": jpeg(),
                          "imports/x/บุคลากร.xlsx": a_spreadsheet()}.items():
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(content)
    out = io.StringIO()
    call_command("copy_media_to_storage", str(local), stdout=out)
    assert "3 files copied" in out.getvalue()
    s3, bucket = s3_storage
    in_bucket = {entry["Key"]: hashlib.sha256(s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()).hexdigest()
                 for entry in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert in_bucket == media_checksums(local)
    again = io.StringIO()
    call_command("copy_media_to_storage", str(local), stdout=again)  # idempotent: nothing copied twice
    assert "0 files copied" in again.getvalue() and "3 were already there" in again.getvalue()
