"""What the upload checks share: the limits, the accepted types, the error and its messages."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# A 100-page scanned PDF (A4, 300 dpi, what stations scan orders and reports at) is about 38 MB.
DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_NAME_LENGTH = 200
# Phones take 48, 50 and 108 MP photos: up to 200 MP are accepted (the header's pixel count is
# checked before anything is decoded) and stored downscaled to MAX_IMAGE_EDGE on the long side.
MAX_IMAGE_PIXELS = 200_000_000
MAX_IMAGE_EDGE = 4096
# A JPEG is decoded straight to about MAX_IMAGE_EDGE (libjpeg scales by 1/2, 1/4, 1/8 while decoding);
# PNG, WebP and HEIC cannot be, so what their pixels take once decoded is bounded: 256 MB is a 64 MP
# colour image (a 48 MP iPhone HEIC photo passes) or 200 MP of a scanned black-and-white page.
MAX_DECODED_BYTES = 256 * 1024 * 1024
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
    "heic": ("heic", "image", "image/jpeg"),  # iPhone photos: converted to JPEG
    "heif": ("heic", "image", "image/jpeg"),
}
NORMALISED_EXTENSION = {"jpeg": "jpg", "heic": "jpg", "heif": "jpg"}
# The extension a file of an accepted kind should carry.
EXTENSION_FOR_KIND = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "jpeg": "jpg", "png": "png", "webp": "webp",
                      "heic": "heic"}
PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF"}

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
    "avif": _("an AVIF image"),
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
ACCEPTED_TYPES = "PDF, Word (.docx), Excel (.xlsx), JPEG (.jpg, .jpeg), PNG, WebP, HEIC (.heic, .heif)"

# Characters refused in names: control characters, surrogates, line/paragraph separators and the
# bidirectional embedding/override/isolate controls that can disguise an extension ("fdp.exe").
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}

HTML_START = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|meta|title|style|a\s|div|p\b|form)", re.I)


class UploadRejected(Exception):
    """`.message` is a user-facing, translatable (gettext) message naming the file and the reason."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class ValidatedFile:
    """What is stored is `body` when the portal made it (a re-encoded image: small), or else the
    upload itself, `source`: a seekable file (Django's temporary file for anything over 2.5 MB), read
    in chunks when it is stored — a 38 MB scan is never held whole in memory."""

    original_name: str
    extension: str
    format: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None
    width: int | None
    height: int | None
    thumbnail: bytes | None
    body: bytes | None = None
    source: object = None

    @property
    def content(self) -> bytes:
        """The stored bytes, whole: for callers that need them in memory; `store()` streams instead."""
        if self.body is not None:
            return self.body
        self.source.seek(0)
        return self.source.read()


def _interpolate(message, params):
    return str(message) % {key: str(value) for key, value in params.items()}


lazy_interpolate = lazy(_interpolate, str)


def reject(message, name, **params):
    """An UploadRejected whose message is translated when it is rendered, not when it is raised."""
    return UploadRejected(lazy_interpolate(message, {"name": _display_name(name), **params}))


def is_refused_char(ch):
    return ch in _BIDI_CONTROLS or unicodedata.category(ch) in _REFUSED_CATEGORIES


def _display_name(name):
    """The name for a message: refused characters shown as U+FFFD, very long names shortened."""
    shown = "".join("\ufffd" if is_refused_char(ch) else ch for ch in name)
    if len(shown) > 80:
        shown = shown[:60] + "…" + shown[-15:]
    return shown


def format_megabytes(num_bytes):
    mb = num_bytes / (1024 * 1024)
    if mb >= 1:
        return f"{mb:.1f}".removesuffix(".0")
    return f"{mb:.6f}".rstrip("0").rstrip(".") or "0"


def damaged(name, expected_kind):
    return reject(
        _("%(name)s is damaged or incomplete and cannot be opened as %(expected)s. Save or export it again and upload the new file."),
        name, expected=KIND_DESCRIPTIONS[expected_kind],
    )
