"""Renderers: the same `reports.document.Document` as PDF, Word or Excel bytes.

    from reports.renderers import render
    pdf_bytes = render(document, "pdf")

Formats are named as the OIT rules name them (`pdf`, `docx`, `xlsx`). Rendering is slow work:
call it from Celery jobs and commands, never from a web request.
"""

import io
import re
import zipfile

from reports.renderers import excel, pdf, word

RENDERERS = {"pdf": pdf.render, "docx": word.render, "xlsx": excel.render}
FORMATS = tuple(RENDERERS)
OFFICE = ("docx", "xlsx")


def render(document, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"no renderer for {fmt!r}; known: {', '.join(FORMATS)}") from None
    content = renderer(document)
    return reproducible(content) if fmt in OFFICE else content


# The same document rendered twice must give the same bytes, as the PDF does: a render job replaces a
# file only when its bytes changed, and Word and Excel files carry the time they were written (each
# ZIP entry's date, the created/modified of docProps/core.xml). Otherwise producing an unchanged month
# again made a version 2 of the Excel beside a version 1 of the PDF, and reopened an approved month.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = b"2000-01-01T00:00:00Z"
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def reproducible(content: bytes) -> bytes:
    """An Office file (a ZIP) with its clocks stopped: entries in the same order, same data, fixed times."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + FIXED_CORE_TIME + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(entry, data)
    return out.getvalue()
