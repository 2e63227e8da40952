"""What stations really upload: 48–108 MP phone photos, iPhone HEIC photos, PDFs "protected" with
permissions only — accepted; a PDF that needs a password to open and old .doc/.xls files — refused
with a message that says what to do."""

import io

import pillow_heif
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from ita_portal.lib.uploads import UploadRejected, validate_upload
from tests.conftest import make_pdf


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def phone_jpeg(width, height) -> bytes:
    """A camera-sized JPEG: a gradient with EXIF, encoded at phone quality."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 1  # orientation
    exif[0x010F] = "Samsung"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


@pytest.mark.parametrize("size", [(8000, 6000), (8165, 6124), (12000, 9000)], ids=["48MP", "50MP", "108MP"])
def test_phone_photos_are_accepted_and_stored_downscaled(size, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 60 * 1024 * 1024
    data = phone_jpeg(*size)
    result = validate_upload(upload("ป้ายหน้าสถานี.jpg", data))
    assert max(result.width, result.height) == 4096 and result.extension == "jpg"
    stored = Image.open(io.BytesIO(result.content))
    assert stored.size == (result.width, result.height) and abs(stored.size[0] / stored.size[1] - size[0] / size[1]) < 0.01
    assert not stored.getexif()  # the metadata stays behind


def test_iphone_heic_photo_becomes_a_jpeg():
    image = Image.new("RGB", (4032, 3024), (30, 120, 200))
    out = io.BytesIO()
    pillow_heif.from_pillow(image).save(out, format="HEIF", quality=80)
    result = validate_upload(upload("IMG_0001.HEIC", out.getvalue()))
    assert result.content_type == "image/jpeg" and result.extension == "jpg" and result.original_name == "IMG_0001.jpg"
    stored = Image.open(io.BytesIO(result.content))
    assert stored.format == "JPEG" and stored.size == (4032, 3024)
    assert stored.getpixel((10, 10))[2] > 150


def protected_pdf(**encrypt) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(2))))
    writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_protected_with_permissions_only_is_accepted(algorithm):
    data = protected_pdf(user_password="", owner_password="owner-only", permissions_flag=0b0100, algorithm=algorithm)
    assert PdfReader(io.BytesIO(data)).is_encrypted
    result = validate_upload(upload("คำสั่ง.pdf", data))
    assert result.page_count == 2 and result.content == data  # stored as sent


def test_a_pdf_that_asks_for_a_password_to_open_is_refused_honestly():
    data = protected_pdf(user_password="1234", owner_password="owner", algorithm="AES-128")
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload("ลับ.pdf", data))
    message = str(refused.value)
    assert "ลับ.pdf" in message and "รหัสผ่าน" in message and "เปิด" in message


@pytest.mark.parametrize("name", ["รายงาน.doc", "งบประมาณ.xls"])
def test_old_office_files_are_still_refused_with_save_as(name):
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    assert name in str(refused.value) and (".docx" in str(refused.value) or ".xlsx" in str(refused.value))
