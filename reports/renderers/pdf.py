"""PDF through WeasyPrint: an HTML template, A4, a Thai font whose text copies out as Thai, the
unit and month in a running header, "หน้า 1 / 3" page numbers, tagged for screen readers (structure
tree, language, title), and PDF/A-2u for archiving (every font embedded, every glyph mapped to its
text, sRGB output intent, XMP metadata)."""

import base64
import functools
import logging
import re

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports import document as doc
from reports.renderers import layout, thai_fonts

TEMPLATE = "reports/pdf/document.html"
PDF_VARIANT = "pdf/a-2u"
# The page box of the template's @page (A4, margins 22 15 18 20 mm), in mm.
PAGE_MM = {False: (210 - 35, 297 - 40), True: (297 - 35, 210 - 40)}  # landscape → (width, height)
IMAGE_ROOM_MM = 40  # kept free on the page of the tallest picture: its caption and the heading above
FIGURE_MIN_CM = 6  # a narrow (tall) picture's caption still gets a readable width
TABLE_PT = {False: 13, True: 12}
CONTINUED = "(ต่อ)"  # "continued", after a group of rows going on from the page before (Thai documents)
PT_PER_MM = 72 / 25.4
_NUMBER = re.compile(r"([0-9๐-๙][0-9๐-๙,.]*[0-9๐-๙])")

# WeasyPrint logs every layout step at INFO (even while importing); a worker's log should show the
# jobs, not them.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def css_string(text: str) -> str:
    """A CSS string literal: everything but letters, digits, spaces and non-ASCII is escaped, so
    that no name can close the string or the <style> element."""
    escaped = "".join(ch if ch.isalnum() or ch == " " or ord(ch) > 127 else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


ZWSP = "\u200b"  # a break opportunity between two words; drawn as nothing, copied out as nothing


def cell_html(text: str, width_pt: float | None = None, size_pt: float = 12, bold: bool = False) -> str:
    """A table cell's escaped text that breaks lines only between its words (layout.words: PyThaiNLP's
    Thai words, numbers whole). A zero-width space marks every boundary between two words, and the
    few words that Pango (libthai) would itself break inside ("กรุงเทพ|มหา|นคร") are each kept on one
    line by a nowrap span; the rest stays plain text, one run per line, which WeasyPrint lays out
    several times faster than a span per word and which poppler reads in order. A word wider than
    the cell (width_pt) may still break inside, numbers never. Line breaks are kept."""
    room = (width_pt - layout.PADDING_PT) if width_pt else None
    return mark_safe("<br>".join(_line_html(tuple(pieces), room, size_pt, bold) for pieces in layout.break_pieces(text)))


@functools.lru_cache(maxsize=8192)
def _line_html(pieces: tuple[str, ...], room: float | None, size_pt: float, bold: bool) -> str:
    tokens = []  # (piece index or None for a zero-width space, text)
    for i, piece in enumerate(pieces):
        if i and piece != " " and pieces[i - 1] != " ":
            tokens.append((None, ZWSP))
        tokens.append((i, piece))
    keep = {i for i, piece in enumerate(pieces) if piece != " " and (
        room is None or any(ch.isdigit() for ch in piece) or layout.text_width(piece, size_pt, bold) <= room)}
    nowrap: set[int] = set()
    while True:  # a span splits the text Pango analyses: look again at the runs beside a new span
        found = {i for run in _runs(tokens, nowrap) for i in _broken_inside(run) if i in keep} - nowrap
        if not found:
            break
        nowrap |= found
    return "".join(f'<span class="w">{escape(text)}</span>' if i in nowrap else escape(text) for i, text in tokens)


def _runs(tokens, nowrap):
    """The stretches of plain text between the nowrap spans: each is one text box that Pango breaks."""
    run = []
    for token in tokens:
        if token[0] in nowrap:
            yield run
            run = []
        else:
            run.append(token)
    yield run


def _broken_inside(run) -> list[int]:
    """The pieces of a run of text inside which Pango finds a line-break opportunity."""
    breaks, inside, offset = _pango_breaks("".join(text for _, text in run)), [], 0
    for i, text in run:
        if i is not None and any(offset < b < offset + len(text) for b in breaks):
            inside.append(i)
        offset += len(text)
    return inside


@functools.lru_cache(maxsize=8192)
def _pango_breaks(text: str) -> tuple[int, ...]:
    """Where Pango, as WeasyPrint lays out Thai text (lang th), may break a line of text."""
    from weasyprint.text.line_break import get_log_attrs

    attrs = get_log_attrs(text, "th")
    return tuple(i for i in range(1, len(text)) if attrs[i].is_line_break)


def _image(image: doc.Image, landscape: bool) -> dict:
    page_width, page_height = PAGE_MM[landscape]
    width_cm, height_cm = image.fit(page_width / 10, (page_height - IMAGE_ROOM_MM) / 10)
    kind = "png" if image.content[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
    src = f"data:image/{kind};base64,{base64.b64encode(image.content).decode('ascii')}"
    return {"type": "image", "src": src, "caption": image.caption, "width_cm": round(width_cm, 2),
            "height_cm": round(height_cm, 2), "figure_cm": round(max(width_cm, FIGURE_MIN_CM), 2)}


def _table(table: doc.Table, landscape: bool) -> dict:
    usable = PAGE_MM[landscape][0] * PT_PER_MM
    size = layout.fitting_size(table, usable, TABLE_PT[landscape])
    widths = layout.column_widths(table, usable, size)
    columns = [{"title": c.title, "kind": c.kind, "width_pt": round(w, 2)} for c, w in zip(table.columns, widths)]

    def cells(row, bold=False):  # numbers and dates are on one line already (nowrap): only text needs the spans
        return [{"html": cell_html(text, w, size, bold) if c.kind == doc.TEXT or isinstance(v, str) else text, "kind": c.kind}
                for v, c, w in zip(row, table.columns, widths) for text in [doc.format_value(v, c.kind)]]

    page_height = PAGE_MM[landscape][1] * PT_PER_MM

    def data_row(values):
        texts = [doc.format_value(v, c.kind) for v, c in zip(values, table.columns)]
        return {"cells": cells(values), "split": layout.may_split(texts, widths, size, page_height)}

    rows = [{"group": r.text} if isinstance(r, doc.GroupRow) else data_row(r) for r in table.rows]
    total = cells(table.total, bold=True) if table.total else None
    span = table.total_span
    return {"type": "table", "caption": table.caption, "columns": columns, "rows": rows, "size_pt": size,
            "width_pt": round(sum(widths), 2), "total": total, "total_span": span,
            "total_label": total[0]["html"] if total else "", "total_rest": total[span:] if total else [],
            "empty_text": table.empty_text}


def _blocks(document: doc.Document) -> list[dict]:
    blocks = []
    for block in document.blocks:
        if isinstance(block, doc.Heading):
            blocks.append({"type": "heading", "text": block.text, "level": min(max(block.level, 2), 4)})
        elif isinstance(block, doc.Paragraph):
            blocks.append({"type": "paragraph", "text": block.text, "align": block.align, "bold": block.bold,
                           "keep": block.keep_with_next})
        elif isinstance(block, doc.Table):
            blocks.append(_table(block, document.landscape))
        elif isinstance(block, doc.Image):
            if not blocks or blocks[-1]["type"] != "figures":  # pictures in a row flow side by side
                blocks.append({"type": "figures", "images": []})
            blocks[-1]["images"].append(_image(block, document.landscape))
        elif isinstance(block, doc.Signatures):
            blocks.append({"type": "signatures", "signers": block.signers})
    return blocks


def _cover(document: doc.Document) -> dict | None:
    if document.cover is None:
        return None
    emblem = document.cover.emblem
    kind = "png" if emblem[:8] == b"\x89PNG\r\n\x1a\n" else "jpeg"
    src = f"data:image/{kind};base64,{base64.b64encode(emblem).decode('ascii')}" if emblem else ""
    return {"lines": document.cover.lines, "emblem": src}


def html(document: doc.Document) -> str:
    emoji = thai_fonts.emoji_font_css("".join(document.texts()))
    return render_to_string(TEMPLATE, {
        "document": document,
        "cover": _cover(document),
        "blocks": _blocks(document),
        "font_faces": thai_fonts.font_face_css() + "\n" + emoji,
        "font_family": thai_fonts.font_family_css(emoji=bool(emoji)),
        "header_left": css_string(document.unit_name),
        "header_right": css_string(document.period_label),
        "page_label": css_string(_("Page")),
        "sign_here": doc.SIGN_HERE,
        "continued": CONTINUED,
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
    # Tagged (a structure tree, the document's language and title shown as the window title) so
    # that screen readers get headings, tables and their headers; the Thai font maps are fixed
    # while the file is written (thai_fonts.fix_to_unicode), so the PDF/A file is WeasyPrint's own.
    return HTML(string=html(document)).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, finisher=thai_fonts.fix_to_unicode)
