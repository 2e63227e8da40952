"""A full disk, for real, and an object storage that refuses: every upload path answers with a Thai
message naming the file (never a 500), and leaves no file without its row and no row without its
file. A complaint is never lost: its text is kept and the citizen told which attachment was not.

The full disk: mounting a tiny tmpfs needs root, so the media storage here writes each file under
RLIMIT_FSIZE set to the bytes its "disk" has left (a quota over everything stored under its
location). The kernel then refuses the write that crosses it (EFBIG, with SIGXFSZ ignored) in the
middle of the file, leaving a partial file exactly like ENOSPC does: `test_the_full_disk_is_real`
shows it, and that Django's storage alone leaves that partial file behind.
"""

import errno
import io
import os
import resource
import signal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from measures.models import ProgressPhoto, ProgressUpdate
from oit_items.channels.models import Complaint, ComplaintAttachment
from oit_items.evidence.models import Evidence, Revision
from reports.models import OperationsReport, Photo
from tests.conftest import make_pdf
from tests.test_public_channels import COMPLAIN, complaint
from tests.test_reports_support import edit_url, formset

NOT_STORED = "จัดเก็บไม่สำเร็จ"  # the Thai message: "… could not be stored: the portal's file storage is full …"
UPLOAD = "/staff/units/sn-buengkum/ita/2567/o7/m10/upload/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()  # the complaint form counts sends per address


class QuotaStorage(FileSystemStorage):
    """The media disk with `quota` bytes in all: a write beyond what is left fails in the middle."""

    def __init__(self, quota: int, **kwargs):
        super().__init__(**kwargs)
        self.quota = quota

    def used(self) -> int:
        root = Path(self.location)
        return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0

    def _save(self, name, content):
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max(0, self.quota - self.used()), hard))
        try:
            return super()._save(name, content)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def noise_jpeg(size=(900, 700)) -> bytes:
    """A photo that does not compress: hundreds of kilobytes once re-encoded."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


def files_under(root: Path) -> list:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def full_disk(settings, tmp_path):
    """Returns `fill(quota)`: the default storage becomes a disk of `quota` bytes at tmp_path/media."""
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing us
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root

    def fill(quota: int) -> Path:
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "tests.test_storage_faults.QuotaStorage", "OPTIONS": {"quota": quota, "location": str(root)}}}
        return root

    yield fill
    signal.signal(signal.SIGXFSZ, previous)


def test_the_full_disk_is_real(full_disk):
    """The kernel refuses the write half-way, and Django's storage leaves the partial file behind."""
    root = full_disk(100_000)
    storage = QuotaStorage(quota=100_000, location=str(root))
    with pytest.raises(OSError) as refused:
        storage.save("evidence/partial.bin", ContentFile(os.urandom(300_000)))
    assert refused.value.errno == errno.EFBIG
    [partial] = files_under(root)
    assert 0 < (root / partial).stat().st_size <= 100_000  # what the portal must not leave behind


def test_an_upload_on_a_full_disk_is_refused_in_thai_and_leaves_nothing(client, users, upload_files, full_disk):
    """The first file (and its thumbnail) fit; the photo after it does not: nothing of either stays."""
    root = full_disk(120_000)
    response = upload_files(client, users["responsible"], [("รายงาน ต.ค.pdf", make_pdf()), ("ภาพกิจกรรม.jpg", noise_jpeg())])
    assert response.status_code == 503
    body = response.content.decode()
    assert NOT_STORED in body and "ภาพกิจกรรม.jpg" in body  # in Thai, naming the file
    assert files_under(root) == [] and not Evidence.objects.exists() and not Revision.objects.exists()
    # The same through the page's script (the progress bar): a JSON answer, not a 500.
    response = client.post(UPLOAD, {"about_date": "31/10/2566", "language": "th",
                                    "files": [SimpleUploadedFile("ภาพ.jpg", noise_jpeg())]},
                           HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 503 and NOT_STORED in response.json()["errors"][0]
    assert files_under(root) == [] and not Revision.objects.exists()


def test_a_replacement_on_a_full_disk_keeps_the_current_file(client, users, upload_files, full_disk):
    root = full_disk(10_000_000)
    upload_files(client, users["responsible"], [("รายงาน.pdf", make_pdf())])
    piece = Evidence.objects.get()
    kept = files_under(root)
    full_disk(sum((root / name).stat().st_size for name in kept) + 1_000)  # a thousand bytes left
    response = client.post(reverse("evidence-replace", args=[piece.pk]),
                           {"file": SimpleUploadedFile("ภาพแทน.jpg", noise_jpeg()), "version": piece.version})
    assert response.status_code == 503 and NOT_STORED in response.content.decode()
    assert "ภาพแทน.jpg" in response.content.decode()
    after = Evidence.objects.get()
    assert (after.version, after.current_revision_id) == (piece.version, piece.current_revision_id)
    assert Revision.objects.count() == 1 and files_under(root) == kept


def test_a_complaint_is_kept_when_its_attachment_cannot_be_stored(client, full_disk):
    root = full_disk(20_000)
    response = client.post(COMPLAIN, complaint(attachments=[SimpleUploadedFile("ภาพเหตุการณ์.jpg", noise_jpeg())]))
    assert response.status_code == 302
    saved = Complaint.objects.get()
    assert saved.text.startswith("วันที่ 3 ต.ค. 2566")  # the citizen's text is kept
    assert not ComplaintAttachment.objects.exists() and files_under(root) == []
    sent = client.get(response["Location"]).content.decode()
    assert saved.code in sent and "ภาพเหตุการณ์.jpg" in sent and NOT_STORED in sent
    assert "ภาพเหตุการณ์.jpg" in saved.public_note and NOT_STORED in saved.public_note  # seen when following it up


def test_a_complaints_attachments_that_fit_are_kept(client, full_disk):
    """One attachment fits, the next does not: the first is kept with its row, the second is named."""
    root = full_disk(60_000)
    small = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(small, "JPEG")
    response = client.post(COMPLAIN, complaint(attachments=[SimpleUploadedFile("เล็ก.jpg", small.getvalue()),
                                                            SimpleUploadedFile("ใหญ่.jpg", noise_jpeg())]))
    assert response.status_code == 302
    [attachment] = ComplaintAttachment.objects.all()
    assert attachment.original_name == "เล็ก.jpg" and files_under(root) == [attachment.file.name]
    assert "ใหญ่.jpg" in Complaint.objects.get().public_note


def test_measure_photos_on_a_full_disk(client, users, station, full_disk):
    from measures.models import MeasurePlan

    root = full_disk(50_000)
    sign = MeasurePlan.objects.get(unit=station, fiscal_year=2567).measures.get(kind="no_gift_sign")
    client.force_login(users["admin"])
    response = client.post(f"/staff/units/sn-buengkum/measures/2567/measures/{sign.pk}/", {
        "date": "5/3/2567", "text": "ติดป้ายแล้ว", "status": sign.IN_PROGRESS, "caption": "ป้าย",
        "photos": [SimpleUploadedFile("ป้าย.jpg", noise_jpeg())]})
    assert response.status_code == 400 and NOT_STORED in response.content.decode()
    assert "ติดป้ายแล้ว" in response.content.decode()  # the form keeps what was typed
    assert not ProgressUpdate.objects.exists() and not ProgressPhoto.objects.exists() and files_under(root) == []


def test_report_photos_on_a_full_disk(client, users, full_disk):
    root = full_disk(50_000)
    client.force_login(users["responsible"])
    response = client.post(edit_url("operations", "m10"), {
        "summary": "สรุปผลการปฏิบัติงาน", "_version": "0", **formset("activities", []), **formset("photos", []),
        "photos": [SimpleUploadedFile("กิจกรรม.jpg", noise_jpeg())]})
    assert response.status_code == 400 and NOT_STORED in response.content.decode()
    assert not OperationsReport.objects.exists() and not Photo.objects.exists() and files_under(root) == []


def test_an_officer_photo_on_a_full_disk(client, users, station, full_disk):
    from units.models import Officer

    root = full_disk(20_000)
    officer = Officer.objects.filter(unit=station).first()
    client.force_login(users["admin"])
    url = reverse("officer-edit", args=[station.slug, officer.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "photo"}
    data = {k: v for k, v in data.items() if not isinstance(v, (list, bool)) or v}
    response = client.post(url, {**data, "photo": SimpleUploadedFile("รูป.jpg", noise_jpeg())})
    assert response.status_code == 400 and NOT_STORED in response.content.decode()
    officer.refresh_from_db()
    assert not officer.photo and files_under(root) == []


def test_the_empty_file_refusal_names_the_file(client, users, upload_files, media_root):
    response = upload_files(client, users["responsible"], [("รายงาน.pdf", make_pdf()), ("ว่างเปล่า.pdf", b"")])
    assert response.status_code == 400
    assert "ว่างเปล่า.pdf" in response.content.decode() and not Evidence.objects.exists()
    upload_files(client, users["responsible"], [("รายงาน.pdf", make_pdf())])
    piece = Evidence.objects.get()
    piece_url = reverse("evidence-replace", args=[piece.pk])
    response = client.post(piece_url, {"file": SimpleUploadedFile("ไฟล์ว่าง.pdf", b""), "version": piece.version})
    assert response.status_code == 400 and "ไฟล์ว่าง.pdf" in response.content.decode()


# --- Object storage (S3): the server refuses a write -------------------------------------------


@pytest.fixture
def thumbnails_refused(s3_storage, settings):
    """The bucket takes the files, but every thumbnail goes to a bucket that does not exist: the real S3
    server answers NoSuchBucket after the file itself was written (a partial upload of one revision)."""
    client, bucket = s3_storage
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "tests.test_storage_faults.ThumbnailsRefused", "OPTIONS": options}}
    return client, bucket


class ThumbnailsRefused(S3Storage):
    """Writes a thumbnail to a bucket that does not exist: the S3 server answers NoSuchBucket."""

    def _save(self, name, content):
        if not name.startswith("thumbnails/"):
            return super()._save(name, content)
        self.bucket_name, kept = "no-such-bucket-for-thumbnails", self.bucket_name
        self._bucket = None
        try:
            return super()._save(name, content)
        finally:
            self.bucket_name, self._bucket = kept, None


def test_an_upload_the_bucket_refuses_leaves_no_object_and_no_row(client, users, upload_files, thumbnails_refused):
    s3, bucket = thumbnails_refused
    response = upload_files(client, users["responsible"], [("รายงาน ต.ค.pdf", make_pdf())])
    assert response.status_code == 503
    assert NOT_STORED in response.content.decode() and "รายงาน ต.ค.pdf" in response.content.decode()
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
    assert not Evidence.objects.exists() and not Revision.objects.exists()
