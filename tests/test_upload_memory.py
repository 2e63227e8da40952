"""Images are decoded within bounded memory (issue 22, point 7): a 50 MP landscape photo is decoded
straight to about the stored size (JPEG draft to the real target box, not a square one), resized one
axis at a time, and an image that would have to be decoded at full size is refused from its header
when its pixels would take more than MAX_DECODED_BYTES. The default upload limit fits a 100-page scan.

Memory is measured in a fresh process around `validate_upload` only: its peak resident size (VmHWM,
the figure `resource.getrusage` reports as ru_maxrss, but for this process alone: ru_maxrss after an
exec keeps the peak of the process that started it, here pytest's)."""

import io
import os
import struct
import subprocess
import sys
import textwrap
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFile

from ita_portal.lib.upload_base import DEFAULT_MAX_UPLOAD_BYTES, MAX_DECODED_BYTES
from ita_portal.lib.upload_images import target_box
from ita_portal.lib.uploads import UploadRejected, validate_upload

MEASURE = textwrap.dedent("""
    import os, sys
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "ita_portal.settings"
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from ita_portal.lib.uploads import validate_upload
    import PIL.Image, PIL.JpegImagePlugin  # loaded before the baseline: what is measured is the decoding
    def peak_kb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    data = open(sys.argv[1], "rb").read()
    before = peak_kb()
    result = validate_upload(SimpleUploadedFile("ภาพ.jpg", data), max_bytes=100 * 1024 * 1024)
    after = peak_kb()
    print((after - before) // 1024, result.width, result.height)
""")


def landscape_50mp(path):
    image = Image.linear_gradient("L").resize((8660, 5774)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x in range(0, 8660, 97):
        draw.line([(x, 0), (8660 - x, 5774)], fill=(x % 255, 80, 200), width=5)
    image.save(path, quality=88)


def test_a_50_megapixel_landscape_photo_adds_under_160_mb(tmp_path):
    """522 MB before (the square 4096 box decoded it at full size), 99 MB after, on this machine."""
    photo = tmp_path / "50mp.jpg"
    landscape_50mp(photo)
    run = subprocess.run([sys.executable, "-c", MEASURE, str(photo)], capture_output=True, text=True,
                         cwd=settings.BASE_DIR, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    added_mb, width, height = map(int, run.stdout.split()[-3:])
    print(f"50 MP landscape JPEG: {added_mb} MB added to the process, stored at {width}x{height}")
    assert (width, height) == (4096, 2731)
    # Decoded at full size (8660x5774 at 4 bytes a pixel) it is 200 MB before any copy.
    assert added_mb < 160


def test_the_draft_asks_for_the_real_target_box():
    assert target_box(8660, 5774) == (4096, 2731)
    assert target_box(5774, 8660) == (2731, 4096)
    assert target_box(1200, 800) == (1200, 800)
    image = Image.open(io.BytesIO(_jpeg(8660, 5774)))
    image.draft(image.mode, target_box(*image.size))
    assert image.size == (4330, 2887)  # half size, no smaller than the target: what libjpeg decodes


def _jpeg(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 30, 30)).save(out, "JPEG", quality=50)
    return out.getvalue()


def _colour_png(width, height) -> bytes:
    """A valid RGB PNG of any size, built without holding its pixels in memory."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    row, compressor, idat = b"\x00" * (1 + 3 * width), zlib.compressobj(9), []
    for start in range(0, height, 500):
        idat.append(compressor.compress(row * min(500, height - start)))
    idat.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(idat)) + chunk(b"IEND", b"")


def test_a_colour_png_too_large_to_decode_is_refused_from_its_header(monkeypatch):
    """70 MP of RGB is 280 MB once decoded (a PNG cannot be decoded at a smaller scale): refused before."""
    data = _colour_png(10_000, 7_000)
    assert 10_000 * 7_000 * 4 > MAX_DECODED_BYTES

    def no_decoding(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(UploadRejected) as refused:
        validate_upload(SimpleUploadedFile("แผนผัง.png", data), max_bytes=100 * 1024 * 1024)
    message = str(refused.value)
    assert "แผนผัง.png" in message and "70" in message


def test_the_default_limit_fits_a_100_page_scan(settings):
    """A 100-page scanned PDF is about 38 MB: the default limit (50 MB) takes it."""
    assert DEFAULT_MAX_UPLOAD_BYTES == 50 * 1024 * 1024 == settings.EVIDENCE_MAX_UPLOAD_BYTES
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024  # bigger uploads go to a temporary file


MEASURE_PDF = textwrap.dedent("""
    import os, shutil, sys
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "ita_portal.settings"
    django.setup()
    from django.core.files.uploadedfile import TemporaryUploadedFile
    from ita_portal.lib.uploads import validate_upload
    import pypdf, pypdfium2  # loaded before the baseline
    def peak_kb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    upload = TemporaryUploadedFile("สแกน 100 หน้า.pdf", "application/pdf", os.path.getsize(sys.argv[1]), None)
    with open(sys.argv[1], "rb") as scan:
        shutil.copyfileobj(scan, upload.file)
    upload.file.flush()
    before = peak_kb()
    result = validate_upload(upload)  # the default limit
    after = peak_kb()
    assert result.source is upload.file and result.body is None  # stored from the temporary file, in chunks
    print((after - before) // 1024, result.page_count, result.size)
""")


def scanned_pdf(path, pages=100):
    """A scan as stations make them: one greyscale page image per page, about 40 MB in all."""
    images = [Image.frombytes("L", (620, 877), os.urandom(620 * 877)).resize((1240, 1754)) for _ in range(pages)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=150, quality=25)


def test_a_100_page_scan_is_accepted_and_never_held_whole_in_memory(tmp_path):
    """85 MB added before (the file read whole, then parsed from memory), 5 MB after, on this machine."""
    scan = tmp_path / "scan.pdf"
    scanned_pdf(scan)
    assert 35_000_000 < scan.stat().st_size < DEFAULT_MAX_UPLOAD_BYTES
    run = subprocess.run([sys.executable, "-c", MEASURE_PDF, str(scan)], capture_output=True, text=True,
                         cwd=settings.BASE_DIR, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    added_mb, pages, size = map(int, run.stdout.split()[-3:])
    print(f"{size / 1e6:.0f} MB scan of {pages} pages: {added_mb} MB added to the process")
    assert pages == 100 and size == scan.stat().st_size
    assert added_mb < size / 1024 / 1024 / 2  # far less than the file itself
