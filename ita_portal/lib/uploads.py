"""Validation of uploaded evidence files, by content rather than by name.

`validate_upload(uploaded_file)` accepts PDF, Word (.docx), Excel (.xlsx) and JPEG, PNG or WebP images
and returns a `ValidatedFile` with the bytes to store, or raises `UploadRejected` whose `.message`
tells the officer, in their language, which file was refused and why.

- The name is checked but never cleaned: a name with a path in it, "..", control characters or more
  than 200 characters is refused. The name as given (usually Thai) is kept unchanged.
- The size is checked against the declared size before anything is read, and no more than
  `max_bytes + 1` bytes are ever read. A PDF, DOCX or XLSX is checked from the upload's own file
  (Django's temporary file above 2.5 MB), hashed in chunks and stored from it (`ValidatedFile.source`),
  never held whole in memory; an image is decoded from memory within bounds and re-encoded (`.body`).
- The real type is found from the content (magic bytes, then parsing) and must agree with the
  extension; a program, an HTML page or a different document type under an accepted name is refused.
- PDFs are parsed strictly with pypdf (a truncated or damaged file is refused, so is an encrypted
  one) and their pages counted; PDFium renders a thumbnail of the first page. DOCX/XLSX must be real OOXML packages, are checked against zip
  bombs and macros, and must open with python-docx / openpyxl.
- Images are checked against decompression bombs before decoding, then decoded, turned upright
  (EXIF orientation), converted to sRGB and re-encoded without any metadata (no EXIF, GPS, XMP,
  ICC profile or text chunks); a JPEG thumbnail of at most 320x320 is made.

Messages are lazy: they are built from English msgids and rendered in the language active when
they are turned into text (Thai by default).
"""

import hashlib
import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.upload_base import (
    ACCEPTED_TYPES,
    DEFAULT_MAX_UPLOAD_BYTES,
    EXTENSION_FOR_KIND,
    EXTENSIONS,
    HTML_START,
    KIND_DESCRIPTIONS,
    MAX_NAME_LENGTH,
    NORMALISED_EXTENSION,
    PROGRAM_KINDS,
    UploadRejected,
    ValidatedFile,
    damaged,
    format_megabytes,
    is_refused_char,
    lazy_interpolate,
    reject,
)
from ita_portal.lib.upload_documents import as_stream, check_ooxml, check_pdf, pdf_thumbnail
from ita_portal.lib.upload_images import check_image

# ---------------------------------------------------------------------------------------------
# Name, size, reading


def check_name(name):
    if not isinstance(name, str) or not name.strip():
        raise UploadRejected(lazy_interpolate(_("The file has no name. Give it a name and upload it again."), {}))
    if len(name) > MAX_NAME_LENGTH:
        raise reject(
            _("The name of %(name)s is too long (%(length)s characters; at most %(limit)s). Shorten it and upload it again."),
            name, length=len(name), limit=MAX_NAME_LENGTH,
        )
    # Dots inside a name are ordinary in Thai ("ต.ค..pdf"); only separators and a leading ".." can
    # make a name act as a path.
    if "/" in name or "\\" in name or name.startswith(".."):
        raise reject(
            _('The name of %(name)s contains "/", "\\" or "..", which are not allowed in a file name. Rename the file and upload it again.'),
            name,
        )
    if any(is_refused_char(ch) for ch in name):
        raise reject(
            _("The name of %(name)s contains invisible control characters. Rename the file and upload it again."),
            name,
        )


def _extension_of(name):
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext:
        raise reject(
            _("%(name)s has no file extension. Accepted types: %(types)s."), name, types=ACCEPTED_TYPES
        )
    ext = ext.lower()
    if ext in ("doc", "xls", "ppt"):
        raise reject(
            _("%(name)s is in an old Office format (.%(ext)s). Open it in Word or Excel, save it as .docx or .xlsx and upload it again."),
            name, ext=ext,
        )
    if ext not in EXTENSIONS:
        raise reject(
            _("%(name)s is not an accepted file type. Accepted types: %(types)s."), name, types=ACCEPTED_TYPES
        )
    return ext


def _too_large(name, max_bytes):
    return reject(
        _("%(name)s is larger than the limit of %(limit)s MB."), name, limit=format_megabytes(max_bytes)
    )


def _empty(name):
    return reject(_("%(name)s is empty (0 bytes)."), name)


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
        with zipfile.ZipFile(as_stream(data)) as archive:
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
    """The kind of file `data` (bytes, or a seekable file) really is, from its content; None when it is not recognised."""
    head = as_stream(data).read(4096) if hasattr(data, "read") else data[:4096]
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
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "avif"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
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
    if HTML_START.match(text) or b"<html" in text[:1024] or b"<script" in text[:1024]:
        return "html"
    if text.startswith(b"<?xml"):
        return "xml"
    return None


def _check_kind(name, ext, data):
    expected = EXTENSIONS[ext][0]
    actual = detect_kind(data)
    if actual == "broken-zip":
        if expected in ("docx", "xlsx"):
            raise damaged(name, expected)  # a ZIP that does not open: a damaged or incomplete document
        actual = "zip"
    if actual == expected:
        return expected
    params = {"expected": KIND_DESCRIPTIONS[expected], "ext": ext}
    if actual is None:
        raise reject(
            _("%(name)s is not really %(expected)s: its content is not in any accepted format. Check that it is the right file and that it opens on your computer."),
            name, **params,
        )
    if actual in PROGRAM_KINDS:
        raise reject(
            _("%(name)s is really %(actual)s, not %(expected)s. Programs and scripts cannot be uploaded."),
            name, actual=KIND_DESCRIPTIONS[actual], **params,
        )
    if actual in EXTENSION_FOR_KIND:
        raise reject(
            _("%(name)s is really %(actual)s, not %(expected)s as its .%(ext)s extension says. Rename it to end in .%(right_ext)s and upload it again."),
            name, actual=KIND_DESCRIPTIONS[actual], right_ext=EXTENSION_FOR_KIND[actual], **params,
        )
    raise reject(
        _("%(name)s is really %(actual)s, not %(expected)s as its .%(ext)s extension says. Accepted types: %(types)s."),
        name, actual=KIND_DESCRIPTIONS[actual], types=ACCEPTED_TYPES, **params,
    )


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
    source, size = _source_of(uploaded_file, max_bytes + 1)
    if size > max_bytes:
        raise _too_large(name, max_bytes)
    if not size:
        raise _empty(name)

    kind, file_format, content_type = EXTENSIONS[ext]
    _check_kind(name, ext, source)

    page_count = width = height = thumbnail = body = None
    if kind == "pdf":
        page_count = check_pdf(name, source)
        thumbnail = pdf_thumbnail(source)
    elif kind in ("docx", "xlsx"):
        check_ooxml(name, kind, source)
    else:  # an image is decoded from memory (its pixels are bounded: upload_images) and re-encoded
        body, (width, height), thumbnail = check_image(name, kind, as_stream(source).read())
        size = len(body)

    if kind == "heic":  # what is stored is a JPEG: so is the name it is downloaded under
        name = f"{name.rpartition('.')[0]}.jpg"
    return ValidatedFile(
        original_name=name,
        extension=NORMALISED_EXTENSION.get(ext, ext),
        format=file_format,
        content_type=content_type,
        size=size,
        sha256=hashlib.sha256(body).hexdigest() if body is not None else _sha256_of(source),
        page_count=page_count,
        width=width,
        height=height,
        thumbnail=thumbnail,
        body=body,
        source=None if body is not None else as_stream(source),
    )


def _source_of(uploaded_file, limit):
    """(a seekable file with the upload's bytes, their number up to `limit`). Django's own file when
    it has one — above FILE_UPLOAD_MAX_MEMORY_SIZE a temporary file on disk, never read whole here —
    else a copy of at most `limit` bytes."""
    inner = getattr(uploaded_file, "file", None)
    if inner is not None and all(hasattr(inner, attr) for attr in ("read", "seek", "tell")):
        try:
            size = inner.seek(0, io.SEEK_END)
            inner.seek(0)
            return inner, size
        except (OSError, ValueError):
            pass
    data = _read_at_most(uploaded_file, limit)
    return io.BytesIO(data), len(data)


def _sha256_of(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()
