"""Backup and restore, round trip (committed data: a restore replaces whole tables): the database and every uploaded file, checked by SHA-256, and
every file served again after the restore."""

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

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
    assert manifest["missing"] == [] and "database.json" in manifest["files"]
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
