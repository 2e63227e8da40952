"""Validation of uploaded evidence files, by content rather than by name.

`validate_upload(uploaded_file)` accepts PDF, Word (.docx), Excel (.xlsx) and JPEG, PNG or WebP images
and returns a `ValidatedFile` with the bytes to store, or raises `UploadRejected` whose `.message`
tells the officer, in their language, which file was refused and why.

- The name is checked but never cleaned: a name with a path in it, "..", control characters or more
  than 200 characters is refused. The name as given (usually Thai) is kept unchanged.
- The size is checked against the declared size before anything is read, and no more than
  `max_bytes + 1` bytes are ever read.
- The real type is found from the content (magic bytes, then parsing) and must agree with the
  extension; a program, an HTML page or a different document type under an accepted name is refused.
- PDFs are parsed strictly with pypdf (a truncated or damaged file is refused, so is an encrypted
  one) and their pages counted. DOCX/XLSX must be real OOXML packages, are checked against zip
  bombs and macros, and must open with python-docx / openpyxl.
- Images are checked against decompression bombs before decoding, then decoded, turned upright
  (EXIF orientation), converted to sRGB and re-encoded without any metadata (no EXIF, GPS, XMP,
  ICC profile or text chunks); a JPEG thumbnail of at most 320x320 is made.

Messages are lazy: they are built from English msgids and rendered in the language active when
they are turned into text (Thai by default).
"""

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_NAME_LENGTH = 200
MAX_IMAGE_PIXELS = 40_000_000
THUMBNAIL_SIZE = (320, 320)
JPEG_QUALITY = 90
THUMBNAIL_QUALITY = 85

# Zip bomb limits for DOCX/XLSX packages.
MAX_ZIP_TOTAL_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_APPLIES_ABOVE = 10 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_CONTENT_TYPES_XML = 1024 * 1024

# A %%EOF marker must end a PDF (ISO 32000: within the last 1024 bytes).
PDF_EOF_WINDOW = 1024

# extension -> (kind, format, content type)
EXTENSIONS = {
    "pdf": ("pdf", "pdf", "application/pdf"),
    "docx": ("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("jpeg", "image", "image/jpeg"),
    "jpeg": ("jpeg", "image", "image/jpeg"),
    "png": ("png", "image", "image/png"),
    "webp": ("webp", "image", "image/webp"),
}
NORMALISED_EXTENSION = {"jpeg": "jpg"}
# The extension a file of an accepted kind should carry.
EXTENSION_FOR_KIND = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpeg": "jpg", "png": "png", "webp": "webp"}
PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}

# What each detected kind is, for messages. Noun phrases, so that each language can use its own article.
KIND_DESCRIPTIONS = {
    "pdf": _("a PDF document"),
    "docx": _("a Word document (.docx)"),
    "xlsx": _("an Excel workbook (.xlsx)"),
    "pptx": _("a PowerPoint presentation (.pptx)"),
    "jpeg": _("a JPEG image"),
    "png": _("a PNG image"),
    "webp": _("a WebP image"),
    "gif": _("a GIF image"),
    "bmp": _("a BMP image"),
    "tiff": _("a TIFF image"),
    "heic": _("a HEIC photo (the iPhone format)"),
    "svg": _("an SVG image"),
    "html": _("an HTML web page"),
    "xml": _("an XML file"),
    "rtf": _("an RTF document"),
    "ole": _("an old-format Office file (.doc, .xls or .ppt)"),
    "odf": _("an OpenDocument file (LibreOffice)"),
    "zip": _("a ZIP archive"),
    "rar": _("a RAR archive"),
    "7z": _("a 7-Zip archive"),
    "gzip": _("a compressed archive"),
    "program": _("a program"),
    "script": _("a script"),
}
PROGRAM_KINDS = {"program", "script"}
ACCEPTED_TYPES = "PDF, Word (.docx), Excel (.xlsx), JPEG (.jpg, .jpeg), PNG, WebP"

# Characters refused in names: control characters, surrogates, line/paragraph separators and the
# bidirectional embedding/override/isolate controls that can disguise an extension ("fdp.exe").
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}

_HTML_START = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|meta|title|style|a\s|div|p\b|form)", re.I)


class UploadRejected(Exception):
    """`.message` is a user-facing, translatable (gettext) message naming the file and the reason."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class ValidatedFile:
    original_name: str
    extension: str
    format: str
    content_type: str
    content: bytes
    size: int
    sha256: str
    page_count: int | None
    width: int | None
    height: int | None
    thumbnail: bytes | None


def _interpolate(message, params):
    return str(message) % {key: str(value) for key, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def _reject(message, name, **params):
    """An UploadRejected whose message is translated when it is rendered, not when it is raised."""
    return UploadRejected(_lazy_interpolate(message, {"name": _display_name(name), **params}))


def _is_refused_char(ch):
    return ch in _BIDI_CONTROLS or unicodedata.category(ch) in _REFUSED_CATEGORIES


def _display_name(name):
    """The name for a message: refused characters shown as U+FFFD, very long names shortened."""
    shown = "".join("\ufffd" if _is_refused_char(ch) else ch for ch in name)
    if len(shown) > 80:
        shown = shown[:60] + "…" + shown[-15:]
    return shown


def _format_megabytes(num_bytes):
    mb = num_bytes / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.1f}".removesuffix(".0")
    return f"{mb:.6f}".rstrip("0").rstrip(".") or "0"


# ---------------------------------------------------------------------------------------------
# Name, size, reading


def check_name(name):
    if not isinstance(name, str) or not name.strip():
        raise UploadRejected(_lazy_interpolate(_("The file has no name. Give it a name and upload it again."), {}))
    if len(name) > MAX_NAME_LENGTH:
        raise _reject(
            _("The name of %(name)s is too long (%(length)s characters; at most %(limit)s). Shorten it and upload it again."),
            name, length=len(name), limit=MAX_NAME_LENGTH,
        )
    # Dots inside a name are ordinary in Thai ("ต.ค..pdf"); only separators and a leading ".." can
    # make a name act as a path.
    if "/" in name or "\\" in name or name.startswith(".."):
        raise _reject(
            _('The name of %(name)s contains "/", "\\" or "..", which are not allowed in a file name. Rename the file and upload it again.'),
            name,
        )
    if any(_is_refused_char(ch) for ch in name):
        raise _reject(
            _("The name of %(name)s contains invisible control characters. Rename the file and upload it again."),
            name,
        )


def _extension_of(name):
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext:
        raise _reject(
            _("%(name)s has no file extension. Accepted types: %(types)s."), name, types=ACCEPTED_TYPES
        )
    ext = ext.lower()
    if ext in ("doc", "xls", "ppt"):
        raise _reject(
            _("%(name)s is in an old Office format (.%(ext)s). Open it in Word or Excel, save it as .docx or .xlsx and upload it again."),
            name, ext=ext,
        )
    if ext not in EXTENSIONS:
        raise _reject(
            _("%(name)s is not an accepted file type. Accepted types: %(types)s."), name, types=ACCEPTED_TYPES
        )
    return ext


def _too_large(name, max_bytes):
    return _reject(
        _("%(name)s is larger than the limit of %(limit)s MB."), name, limit=_format_megabytes(max_bytes)
    )


def _empty(name):
    return _reject(_("%(name)s is empty (0 bytes)."), name)


def _read_at_most(uploaded_file, limit):
    """Read the file from the start, never more than `limit` bytes."""
    seek = getattr(uploaded_file, "seek", None)
    if seek is not None:
        try:
            seek(0)
        except (OSError, ValueError):
            pass
    parts, remaining = [], limit
    while remaining > 0:
        chunk = uploaded_file.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        chunk = chunk[:remaining]
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


# ---------------------------------------------------------------------------------------------
# Detection of the real type


def _zip_kind(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return "broken-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "mimetype" in names or "content.xml" in names:
        return "odf"
    return "zip"


def detect_kind(data):
    """The kind of file `data` really is, from its content; None when it is not recognised."""
    head = data[:4096]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM") and len(head) > 14:
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"):
        return "heic"
    if head.startswith(
        (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
         b"\xca\xfe\xba\xbe", b"\x00asm", b"dex\n")
    ):
        return "program"
    if head.startswith(b"#!"):
        return "script"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")):
        return "gzip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff\x00 \t\r\n").lower()
    if b"<svg" in text[:1024] and text.startswith((b"<svg", b"<?xml", b"<!doctype svg", b"<!--")):
        return "svg"
    if _HTML_START.match(text) or b"<html" in text[:1024] or b"<script" in text[:1024]:
        return "html"
    if text.startswith(b"<?xml"):
        return "xml"
    return None


def _check_kind(name, ext, data):
    expected = EXTENSIONS[ext][0]
    actual = detect_kind(data)
    if actual == "broken-zip":
        if expected in ("docx", "xlsx"):
            raise _damaged(name, expected)  # a ZIP that does not open: a damaged or incomplete document
        actual = "zip"
    if actual == expected:
        return expected
    params = {"expected": KIND_DESCRIPTIONS[expected], "ext": ext}
    if actual is None:
        raise _reject(
            _("%(name)s is not really %(expected)s: its content is not in any accepted format. Check that it is the right file and that it opens on your computer."),
            name, **params,
        )
    if actual in PROGRAM_KINDS:
        raise _reject(
            _("%(name)s is really %(actual)s, not %(expected)s. Programs and scripts cannot be uploaded."),
            name, actual=KIND_DESCRIPTIONS[actual], **params,
        )
    if actual in EXTENSION_FOR_KIND:
        raise _reject(
            _("%(name)s is really %(actual)s, not %(expected)s as its .%(ext)s extension says. Rename it to end in .%(right_ext)s and upload it again."),
            name, actual=KIND_DESCRIPTIONS[actual], right_ext=EXTENSION_FOR_KIND[actual], **params,
        )
    raise _reject(
        _("%(name)s is really %(actual)s, not %(expected)s as its .%(ext)s extension says. Accepted types: %(types)s."),
        name, actual=KIND_DESCRIPTIONS[actual], types=ACCEPTED_TYPES, **params,
    )


# ---------------------------------------------------------------------------------------------
# PDF


def _damaged(name, expected_kind):
    return _reject(
        _("%(name)s is damaged or incomplete and cannot be opened as %(expected)s. Save or export it again and upload the new file."),
        name, expected=KIND_DESCRIPTIONS[expected_kind],
    )


def _resolve(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _check_pdf(name, data):
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, NullObject, StreamObject

    # pypdf accepts a %%EOF anywhere in the file; a complete PDF ends with "startxref <offset> %%EOF".
    ending = data.rstrip(b"\x00\t\n\f\r ")
    eof = ending.rfind(b"%%EOF")
    if eof < 0 or eof < len(ending) - PDF_EOF_WINDOW or b"startxref" not in ending[max(0, eof - 128):eof]:
        raise _damaged(name, "pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        encrypted = reader.is_encrypted
    except Exception:
        raise _damaged(name, "pdf") from None
    if encrypted:
        raise _reject(
            _("%(name)s is protected with a password or encrypted, so the public could not open it. Save it again without a password and upload the new file."),
            name,
        )
    try:
        pages = reader.pages
        page_count = len(pages)
        for page in pages:
            # Every page, its size and its content streams must be readable objects.
            page.mediabox  # noqa: B018 - reading it resolves the inherited /MediaBox
            contents = _resolve(page.get("/Contents"))
            if contents is None or isinstance(contents, NullObject):
                continue  # a page with no content stream is a blank page
            for part in contents if isinstance(contents, ArrayObject) else [contents]:
                if not isinstance(_resolve(part), StreamObject):
                    raise ValueError("page content is not a stream")
    except Exception:
        raise _damaged(name, "pdf") from None
    if page_count < 1:
        raise _reject(_("%(name)s has no pages."), name)
    return page_count


# ---------------------------------------------------------------------------------------------
# DOCX / XLSX


def _check_ooxml(name, kind, data):
    main_part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _damaged(name, kind) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise _zip_bomb(name)
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > ZIP_RATIO_APPLIES_ABOVE and (
                info.compress_size == 0 or info.file_size / info.compress_size > MAX_ZIP_RATIO
            ):
                raise _zip_bomb(name)
        if total > MAX_ZIP_TOTAL_UNCOMPRESSED:
            raise _zip_bomb(name)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or main_part not in names:
            raise _damaged(name, kind)
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise _macros(name)
        try:
            content_types_info = archive.getinfo("[Content_Types].xml")
            if content_types_info.file_size > MAX_CONTENT_TYPES_XML:
                raise _damaged(name, kind)
            content_types = archive.read(content_types_info)
        except UploadRejected:
            raise
        except Exception:
            raise _damaged(name, kind) from None
        if b"macroenabled" in content_types.lower():
            raise _macros(name)
    try:
        if kind == "docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            document.paragraphs  # noqa: B018 - parses the body
        else:
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not workbook.sheetnames:
                    raise ValueError("no sheets")
            finally:
                workbook.close()
    except Exception:
        raise _damaged(name, kind) from None


def _zip_bomb(name):
    return _reject(
        _("%(name)s expands to far more data than a normal document (it looks like a zip bomb) and was refused."),
        name,
    )


def _macros(name):
    return _reject(
        _("%(name)s contains macros, which are not allowed. Save it as a normal .docx or .xlsx without macros and upload it again."),
        name,
    )


# ---------------------------------------------------------------------------------------------
# Images


def _to_srgb(image, icc_profile):
    """Convert colours to sRGB using the embedded ICC profile, so the profile can be dropped."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
        return converted if converted is not None else image
    except Exception:
        return image


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _storage_mode(image, kind):
    """Convert to a mode the output format stores well."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        if kind == "png" and mode.startswith("I;16"):
            return image  # 16-bit greyscale PNG stays as it is
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if kind == "jpeg":
        if mode in ("L", "RGB"):
            return image
        if _has_alpha(image):
            return _flatten(image)
        return image.convert("RGB")
    if kind == "png":
        if mode in ("1", "L", "RGB", "RGBA"):
            return image
        return image.convert("RGBA" if _has_alpha(image) else "RGB")
    # WebP stores RGB or RGBA.
    if mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _flatten(image):
    """RGB on a white background (for JPEG, which has no transparency)."""
    from PIL import Image

    if image.mode in ("1", "L", "RGB"):
        return image.convert("RGB")
    if image.mode.startswith("I") or image.mode == "F":
        return _storage_mode(image, "jpeg").convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _image_too_large(name):
    return _reject(
        _("%(name)s is an image of more than %(limit)s million pixels, too large to process. Reduce its size and upload it again."),
        name, limit=MAX_IMAGE_PIXELS // 1_000_000,
    )


def _check_image(name, kind, data):
    from PIL import Image, ImageFile, ImageOps

    # Importing WeasyPrint (the PDF renderer, in the same worker process) switches this on for the
    # whole process; a truncated image must be refused here whatever was imported before.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    expected_format = PILLOW_FORMAT[kind]
    try:
        with Image.open(io.BytesIO(data), formats=[expected_format]) as probe:
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _image_too_large(name)
            # (A JPEG with several pictures, MPO from phone cameras, is fine: its first one is kept.)
            if kind != "jpeg" and getattr(probe, "n_frames", 1) > 1:
                raise _reject(
                    _("%(name)s is an animated image. Upload a still image (one frame) instead."), name
                )
            probe.verify()
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        # Pillow's own limit, reached on opening: the header claims far too many pixels.
        raise _image_too_large(name) from None
    except Exception:
        raise _damaged(name, kind) from None

    try:
        with Image.open(io.BytesIO(data), formats=[expected_format]) as image:
            if image.size != (width, height) or image.size[0] * image.size[1] > MAX_IMAGE_PIXELS:
                raise _image_too_large(name)
            image.load()
            icc_profile = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except Exception:
        raise _damaged(name, kind) from None

    try:
        # `upright` is already a new image (exif_transpose copies), so it may be changed here.
        clean = _storage_mode(_to_srgb(upright, icc_profile), kind)
        # Nothing from the original travels with the pixels: no EXIF, GPS, XMP, ICC or text chunks.
        clean.info = {}
        out = io.BytesIO()
        if kind == "jpeg":
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        elif kind == "png":
            clean.save(out, "PNG")
        else:
            clean.save(out, "WEBP", quality=JPEG_QUALITY, method=4)
        content = out.getvalue()

        thumbnail = _thumbnail(clean)
    except Exception:
        raise _damaged(name, kind) from None
    return content, clean.size, thumbnail


def _thumbnail(image):
    """A JPEG of at most THUMBNAIL_SIZE, made by shrinking first and flattening afterwards."""
    from PIL import Image

    if image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB", "RGBA"):
        image = _flatten(image)
    width, height = image.size
    scale = min(1.0, THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)
    if scale < 1.0:
        size = (
            max(1, min(THUMBNAIL_SIZE[0], round(width * scale))),
            max(1, min(THUMBNAIL_SIZE[1], round(height * scale))),
        )
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    _flatten(image).save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------


def validate_upload(uploaded_file, max_bytes: int | None = None) -> ValidatedFile:
    """uploaded_file: a Django UploadedFile (has .name, .size, .read()/.chunks()). Raises UploadRejected."""
    if max_bytes is None:
        max_bytes = getattr(settings, "EVIDENCE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)
    name = getattr(uploaded_file, "name", None)
    check_name(name)
    ext = _extension_of(name)

    declared = getattr(uploaded_file, "size", None)
    if declared is not None:
        if declared > max_bytes:
            raise _too_large(name, max_bytes)
        if declared <= 0:
            raise _empty(name)
    data = _read_at_most(uploaded_file, max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(name, max_bytes)
    if not data:
        raise _empty(name)

    kind, file_format, content_type = EXTENSIONS[ext]
    _check_kind(name, ext, data)

    page_count = width = height = thumbnail = None
    content = data
    if kind == "pdf":
        page_count = _check_pdf(name, data)
    elif kind in ("docx", "xlsx"):
        _check_ooxml(name, kind, data)
    else:
        content, (width, height), thumbnail = _check_image(name, kind, data)

    return ValidatedFile(
        original_name=name,
        extension=NORMALISED_EXTENSION.get(ext, ext),
        format=file_format,
        content_type=content_type,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=page_count,
        width=width,
        height=height,
        thumbnail=thumbnail,
    )
