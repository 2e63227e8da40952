"""PDF through WeasyPrint: an HTML template, A4, a Thai font whose text copies out as Thai, the
unit and month in a running header, and "หน้า 1 / 3" page numbers."""

import base64
import logging

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .. import document as doc
from . import thai_fonts

TEMPLATE = "reports/pdf/document.html"

# WeasyPrint logs every layout step at INFO (even while importing); a worker's log should show the
# jobs, not them.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def css_string(text: str) -> str:
    """A CSS string literal: everything but letters, digits, spaces and non-ASCII is escaped, so
    that no name can close the string or the <style> element."""
    escaped = "".join(ch if ch.isalnum() or ch == " " or ord(ch) > 127 else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _image_uri(image: doc.Image) -> str:
    kind = "png" if image.content[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(image.content).decode('ascii')}"


def _table_context(table: doc.Table) -> dict:
    widths = sum(c.width for c in table.columns)
    columns = [{"title": c.title, "kind": c.kind, "percent": round(100 * c.width / widths, 2)} for c in table.columns]

    def cells(row):
        return [{"text": doc.format_value(v, c.kind), "kind": c.kind} for v, c in zip(row, table.columns)]

    total = cells(table.total) if table.total else None
    span = table.total_span
    return {"caption": table.caption, "columns": columns, "rows": [cells(r) for r in table.rows],
            "total": total, "total_span": span, "total_label": total[0]["text"] if total else "",
            "total_rest": total[span:] if total else [], "empty_text": table.empty_text}


def _blocks(document: doc.Document) -> list[dict]:
    blocks = []
    for block in document.blocks:
        if isinstance(block, doc.Heading):
            blocks.append({"type": "heading", "text": block.text, "level": min(max(block.level, 2), 4)})
        elif isinstance(block, doc.Paragraph):
            blocks.append({"type": "paragraph", "text": block.text, "align": block.align, "bold": block.bold})
        elif isinstance(block, doc.Table):
            blocks.append({"type": "table", **_table_context(block)})
        elif isinstance(block, doc.Image):
            blocks.append({"type": "image", "src": _image_uri(block), "caption": block.caption, "width_cm": block.width_cm})
    return blocks


def html(document: doc.Document) -> str:
    return render_to_string(TEMPLATE, {
        "document": document,
        "blocks": _blocks(document),
        "font_faces": thai_fonts.font_face_css(),
        "font_family": thai_fonts.font_family_css(),
        "header_left": css_string(document.unit_name),
        "header_right": css_string(document.period_label),
        "page_label": css_string(_("Page")),
    })


def weasyprint_html():
    """WeasyPrint's HTML class without its side effect: importing WeasyPrint sets Pillow's
    LOAD_TRUNCATED_IMAGES for the whole process, and upload validation (oit_items.uploads) relies
    on Pillow refusing truncated images. Use this wherever WeasyPrint is needed."""
    from PIL import ImageFile
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # Pillow's default, whoever imported WeasyPrint first
    return HTML


def render(document: doc.Document) -> bytes:
    HTML = weasyprint_html()
    pdf = HTML(string=html(document)).write_pdf()
    return thai_fonts.fix_to_unicode(pdf)
