"""PDF and OOXML (DOCX/XLSX) checks: strict parsing, truncation, encryption, zip bombs, macros."""

import io
import threading
import zipfile

from django.utils.translation import gettext_lazy as _

from ita_portal.lib.upload_base import (
    MAX_CONTENT_TYPES_XML,
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL_UNCOMPRESSED,
    PDF_EOF_WINDOW,
    THUMBNAIL_QUALITY,
    THUMBNAIL_SIZE,
    ZIP_RATIO_APPLIES_ABOVE,
    UploadRejected,
    damaged,
    reject,
)

# ---------------------------------------------------------------------------------------------
# PDF


# The end of a PDF is looked for in its last megabyte (the %%EOF must be within PDF_EOF_WINDOW of it).
PDF_TAIL = 1024 * 1024


def as_stream(data):
    """A seekable file at its start: `data` itself when it is one (the upload, never read whole), else bytes wrapped."""
    stream = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    stream.seek(0)
    return stream


def _resolve(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _opens_without_password(reader) -> bool:
    from pypdf import PasswordType

    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # an encryption method that cannot be read: as good as a password
        return False


def check_pdf(name, data):
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, NullObject, StreamObject

    # pypdf accepts a %%EOF anywhere in the file; a complete PDF ends with "startxref <offset> %%EOF".
    stream = as_stream(data)
    end = stream.seek(0, io.SEEK_END)
    stream.seek(max(0, end - PDF_TAIL))
    ending = stream.read().rstrip(b"\x00\t\n\f\r ")
    eof = ending.rfind(b"%%EOF")
    if eof < 0 or eof < len(ending) - PDF_EOF_WINDOW or b"startxref" not in ending[max(0, eof - 128):eof]:
        raise damaged(name, "pdf")
    try:
        reader = PdfReader(as_stream(stream), strict=True)
        encrypted = reader.is_encrypted
    except Exception:
        raise damaged(name, "pdf") from None
    # Encrypted with permissions only (no printing, no copying: what office software offers as
    # "protect") it opens without a password, for the public too: accepted. A password to *open* is not.
    if encrypted and not _opens_without_password(reader):
        raise reject(
            _("%(name)s asks for a password to open, so the public could not open it. Save it again without an opening password (restrictions on printing or copying may stay) and upload the new file."),
            name,
        )
    try:
        pages = reader.pages
        page_count = len(pages)
        for page in pages:
            # Every page, its size and its content streams must be readable objects.
            page.mediabox
            contents = _resolve(page.get("/Contents"))
            if contents is None or isinstance(contents, NullObject):
                continue  # a page with no content stream is a blank page
            for part in contents if isinstance(contents, ArrayObject) else [contents]:
                if not isinstance(_resolve(part), StreamObject):
                    raise ValueError("page content is not a stream")
    except Exception:
        raise damaged(name, "pdf") from None
    if page_count < 1:
        raise reject(_("%(name)s has no pages."), name)
    return page_count


PDFIUM_LOCK = threading.Lock()


def pdf_thumbnail(data: bytes) -> bytes | None:
    """A JPEG of the first page, at most THUMBNAIL_SIZE, rendered by PDFium: made once per
    revision, on upload, never when a page is shown. None when PDFium cannot render it (the file
    was accepted by the checks above; a missing thumbnail is no reason to refuse it)."""
    import pypdfium2


    try:
        with PDFIUM_LOCK:  # PDFium is not thread-safe: two threaded uploads at once crashed the process
            document = pypdfium2.PdfDocument(as_stream(data))
            try:
                page = document[0]
                width, height = page.get_size()
                scale = min(THUMBNAIL_SIZE[0] / width, THUMBNAIL_SIZE[1] / height)
                bitmap = page.render(scale=scale)
                image = bitmap.to_pil().convert("RGB")  # a copy, kept after the close
                bitmap.close()  # a bitmap is not the document's kid: closed here, not by a finalizer elsewhere
            finally:
                document.close()  # with its page, under the lock
        out = io.BytesIO()
        image.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
        return out.getvalue()
    except Exception:  # pypdfium2.PdfiumError, or a page PDFium will not draw
        return None


# ---------------------------------------------------------------------------------------------
# DOCX / XLSX


def check_ooxml(name, kind, data):
    main_part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    try:
        archive = zipfile.ZipFile(as_stream(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise damaged(name, kind) from None
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
            raise damaged(name, kind)
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise _macros(name)
        try:
            content_types_info = archive.getinfo("[Content_Types].xml")
            if content_types_info.file_size > MAX_CONTENT_TYPES_XML:
                raise damaged(name, kind)
            content_types = archive.read(content_types_info)
        except UploadRejected:
            raise
        except Exception:
            raise damaged(name, kind) from None
        if b"macroenabled" in content_types.lower():
            raise _macros(name)
    try:
        if kind == "docx":
            import docx

            document = docx.Document(as_stream(data))
            document.paragraphs
        else:
            import openpyxl

            workbook = openpyxl.load_workbook(as_stream(data), read_only=True, data_only=True)
            try:
                if not workbook.sheetnames:
                    raise ValueError("no sheets")
            finally:
                workbook.close()
    except Exception:
        raise damaged(name, kind) from None


def _zip_bomb(name):
    return reject(
        _("%(name)s expands to far more data than a normal document (it looks like a zip bomb) and was refused."),
        name,
    )


def _macros(name):
    return reject(
        _("%(name)s contains macros, which are not allowed. Save it as a normal .docx or .xlsx without macros and upload it again."),
        name,
    )
