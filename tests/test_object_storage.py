"""Every stored file on S3-compatible object storage — a real S3 API server (moto in server mode)
on loopback, started by the `s3_server` fixture — and every FILE_SERVING mode serving it behind
the permission checks. A file the database names but the storage lacks answers 404, logged."""

import datetime
import io
import logging
import urllib.request

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from measures import kinds as measure_kinds
from measures.models import Measure, MeasurePlan, ProgressPhoto
from oit_items.channels.models import ComplaintAttachment
from oit_items.evidence.models import Revision
from reports.models import RenderJob, RenderOutput
from tests.conftest import approve_period, make_docx, make_pdf
from tests.data.measures_files import jpeg
from tests.test_measures_signs import produce
from tests.test_public_channels import COMPLAIN, complaint
from tests.test_reports_support import PURCHASES, ask_for, enter_procurement, stored

OCT = datetime.date(2023, 10, 1)


def keys(s3):
    client, bucket = s3
    return {entry["Key"] for entry in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def body_of(s3, key) -> bytes:
    client, bucket = s3
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


@pytest.fixture
def uploaded(s3_storage, users, station, upload_files):
    from django.test import Client

    pdf, photo = make_pdf(2), jpeg(size=(640, 480))
    response = upload_files(Client(), users["responsible"], [("รายงาน ต.ค.66.pdf", pdf), ("ภาพกิจกรรม.jpg", photo)])
    assert response.status_code == 302
    revisions = {r.format: r for r in Revision.objects.filter(evidence__item_period__unit=station)}
    return revisions, pdf


def test_evidence_and_thumbnails_are_objects_in_the_bucket(s3_storage, uploaded):
    revisions, pdf = uploaded
    stored_keys = keys(s3_storage)
    assert {revisions["pdf"].file.name, revisions["image"].file.name, revisions["image"].thumbnail.name} <= stored_keys
    assert body_of(s3_storage, revisions["pdf"].file.name) == pdf
    assert revisions["pdf"].file.name.startswith("evidence/") and "รายงาน" not in revisions["pdf"].file.name


def test_django_mode_streams_from_the_bucket(client, settings, users, uploaded):
    settings.FILE_SERVING = "django"
    revisions, pdf = uploaded
    client.force_login(users["viewer"])
    response = client.get(reverse("file-download", args=[revisions["pdf"].pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    thumb = client.get(reverse("file-thumbnail", args=[revisions["image"].pk]))
    assert thumb.status_code == 200 and b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize("mode", ["redirect", "sendfile"])
def test_signed_redirect_modes(client, settings, users, uploaded, s3_server, mode):
    settings.FILE_SERVING = mode
    revisions, pdf = uploaded
    client.force_login(users["viewer"])
    response = client.get(reverse("file-download", args=[revisions["pdf"].pk]))
    assert response.status_code == 302 and response["Location"].startswith(s3_server)
    assert "X-Amz-Expires=60" in response["Location"] and response["Cache-Control"] == "private, no-store"
    with urllib.request.urlopen(response["Location"], timeout=10) as signed:
        assert signed.read() == pdf
        assert "attachment" in signed.headers["Content-Disposition"]
        assert signed.headers["Content-Type"] == "application/pdf"
    # Another unit's staff get no URL at all.
    client.force_login(users["other-viewer"])
    assert client.get(reverse("file-download", args=[revisions["pdf"].pk])).status_code == 404


def test_nginx_mode_hands_the_signed_url_to_the_web_server(client, settings, users, uploaded, s3_server):
    settings.FILE_SERVING = "nginx"
    revisions, _pdf = uploaded
    client.force_login(users["viewer"])
    response = client.get(reverse("file-download", args=[revisions["pdf"].pk]))
    host = s3_server.split("://")[1]
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith(f"/protected-remote/{host}/")
    assert "X-Amz-Signature=" in response["X-Accel-Redirect"]


@pytest.mark.parametrize("mode", ["nginx", "redirect", "sendfile"])
def test_an_object_whose_url_cannot_be_signed_is_streamed(client, settings, users, uploaded, monkeypatch, mode):
    """A storage whose url() takes no signing parameters: every mode streams the file (no 500)."""
    settings.FILE_SERVING = mode
    from storages.backends.s3 import S3Storage

    revisions, pdf = uploaded

    def unsigned(self, name, parameters=None, expire=None, http_method=None):
        raise TypeError("url() got an unexpected keyword argument 'parameters'")

    monkeypatch.setattr(S3Storage, "url", unsigned)
    client.force_login(users["viewer"])
    response = client.get(reverse("file-download", args=[revisions["pdf"].pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert not response.has_header("X-Accel-Redirect")


def test_public_snapshot_files_come_from_the_bucket(client, s3_storage, users, station, o7):
    docx = make_docx()
    period = approve_period(users, station, o7, OCT, [("รายงาน ต.ค.66.docx", docx)])
    entry = period.published[0]
    response = client.get(reverse("public-file", args=["sn-buengkum", entry["revision"]]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == docx
    assert response["Cache-Control"] == "public, no-cache" and response["ETag"]  # revalidated: a takedown is seen at once


@pytest.mark.parametrize("where", ["file system", "object storage"])
def test_a_missing_file_is_a_logged_404(client, users, station, o7, caplog, where, request):
    s3 = request.getfixturevalue("s3_storage") if where == "object storage" else None
    period = approve_period(users, station, o7, OCT, [("รายงาน.pdf", make_pdf())])
    revision = Revision.objects.get(pk=period.published[0]["revision"])
    if s3:
        s3[0].delete_object(Bucket=s3[1], Key=revision.file.name)
    else:
        revision.file.storage.delete(revision.file.name)
    client.force_login(users["viewer"])
    with caplog.at_level(logging.ERROR, logger="ita_portal.lib.files"):
        assert client.get(reverse("file-download", args=[revision.pk])).status_code == 404
        assert client.get(reverse("public-file", args=["sn-buengkum", revision.pk])).status_code == 404
    assert "stored file missing" in caplog.text and revision.file.name in caplog.text


def test_rendered_report_documents_are_stored_in_the_bucket(client, s3_storage, users, station,
                                                            django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    assert enter_procurement(client, purchases=PURCHASES).status_code == 302
    ask_for(client, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    outputs = list(RenderOutput.objects.select_related("evidence__current_revision"))
    assert len(outputs) == 2
    for output in outputs:
        assert output.evidence.current_revision.file.name in keys(s3_storage)
    pdf = next(o for o in outputs if o.evidence.current_revision.format == "pdf")
    assert stored(pdf.evidence).startswith(b"%PDF-")  # read back from the bucket


def test_complaint_attachments_progress_photos_officer_photos_and_signs(client, s3_storage, users, station,
                                                                      django_capture_on_commit_callbacks):
    cache.clear()  # the public forms' rate limit
    evidence_pdf = make_pdf()
    assert client.post(COMPLAIN, complaint(attachments=[SimpleUploadedFile("หลักฐาน.pdf", evidence_pdf)])).status_code == 302
    attachment = ComplaintAttachment.objects.get()
    assert body_of(s3_storage, attachment.file.name) == evidence_pdf

    sign = MeasurePlan.objects.get(unit=station, fiscal_year=2567).measures.get(kind="no_gift_sign")
    client.force_login(users["admin"])
    client.post(f"/staff/units/sn-buengkum/measures/2567/measures/{sign.pk}/", {
        "date": "5/3/2567", "text": "ติดป้ายแล้ว", "status": Measure.IN_PROGRESS, "caption": "ป้าย",
        "photos": [SimpleUploadedFile("ป้าย.jpg", jpeg())]})
    photo = ProgressPhoto.objects.get()
    assert {photo.file.name, photo.thumbnail.name} <= keys(s3_storage)

    head = station.head
    head.photo.save("head.jpg", ContentFile(jpeg(size=(300, 400))))
    assert head.photo.name in keys(s3_storage)
    pdf = produce(client, users["admin"], station, measure_kinds.SIGN_NO_GIFT_TH, django_capture_on_commit_callbacks)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2  # the head's photo, read back from the bucket
    output = RenderJob.objects.get(unit=station, kind=measure_kinds.SIGN_NO_GIFT_TH).outputs.get()
    assert output.file.name in keys(s3_storage) and body_of(s3_storage, output.file.name) == pdf


def test_storage_is_chosen_by_environment(monkeypatch):
    import importlib

    from ita_portal import settings as portal_settings

    for name, value in {"S3_BUCKET": "ita-media", "S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_REGION": "ap-southeast-1",
                        "S3_ACCESS_KEY_ID": "key", "S3_SECRET_ACCESS_KEY": "secret"}.items():
        monkeypatch.setenv(name, value)
    try:
        configured = importlib.reload(portal_settings).STORAGES["default"]
        assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
        assert configured["OPTIONS"]["bucket_name"] == "ita-media" and configured["OPTIONS"]["default_acl"] is None
        assert configured["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
        monkeypatch.delenv("S3_BUCKET")
        assert importlib.reload(portal_settings).STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    finally:
        monkeypatch.undo()
        importlib.reload(portal_settings)


def test_report_photos_are_objects_and_reach_the_rendered_report(client, s3_storage, users, db,
                                                                 django_capture_on_commit_callbacks):
    from reports.models import Photo
    from tests.test_reports_operations import IMMIGRATION_ROWS, post_report
    from tests.test_reports_operations import jpeg as report_jpeg

    client.force_login(users["other-responsible"])
    photos = [(f"ภาพกิจกรรม {i}.jpg", report_jpeg((40 * i, 90, 160))) for i in range(4)]
    assert post_report(client, "imm-buengkan", IMMIGRATION_ROWS, "immigration_unit", photos).status_code == 302
    stored_keys = keys(s3_storage)
    assert all(p.file.name in stored_keys and p.thumbnail.name in stored_keys for p in Photo.objects.all())
    ask_for(client, "monthly_report", "m10", django_capture_on_commit_callbacks, slug="imm-buengkan")
    pdf = next(o for o in RenderOutput.objects.select_related("evidence__current_revision")
               if o.evidence.current_revision.format == "pdf")
    assert len(PdfReader(io.BytesIO(stored(pdf.evidence))).pages[0].images) >= 1  # the photos, read from the bucket
