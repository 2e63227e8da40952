"""Renderers: the same `reports.document.Document` as PDF, Word or Excel bytes.

    from reports.renderers import render
    pdf_bytes = render(document, "pdf")

Formats are named as the OIT rules name them (`pdf`, `docx`, `xlsx`). Rendering is slow work:
call it from Celery jobs and commands, never from a web request.
"""

from reports.renderers import excel, pdf, word

RENDERERS = {"pdf": pdf.render, "docx": word.render, "xlsx": excel.render}
FORMATS = tuple(RENDERERS)


def render(document, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"no renderer for {fmt!r}; known: {', '.join(FORMATS)}") from None
    return renderer(document)
