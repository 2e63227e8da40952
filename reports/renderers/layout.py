"""How wide text is, and so how wide a table's columns must be: shared by the three renderers, so
that a table has the same columns in the PDF, the Word file and the Excel sheet.

Widths are measured with the advance widths of the Thai font the PDF embeds (the patched Laksaman,
metric-compatible with TH Sarabun New, which the Word and Excel files name). That font has no
kerning and its marks have no advance, so the sum of the advances is the width WeasyPrint draws.

Column widths come from the content: a number or a date is never broken, so its column is at least
as wide as its widest value; a text column is at least as wide as its longest word (Thai words found
by PyThaiNLP), so that lines break between words and a word is broken only when it is wider than a
third of the page; the rest of the width goes to the columns that hold the most text.

The same words are where lines may break in every format: both the PDF (pdf.cell_html, which also
keeps on one line each word Pango would break inside) and the Word file (word.cell_text) mark the
boundaries with zero-width spaces, so that Pango's libthai and LibreOffice's or Word's dictionaries, which cut some words differently
("กรุงเทพมหา|นคร"), all break where PyThaiNLP does.
"""

import functools
import re
import unicodedata

from reports import document as doc
from reports.renderers import thai_fonts

PADDING_PT = 9.0  # a cell's left and right padding and its borders: 2 × 4 pt + 2 × 0.5 pt
MAX_WORD_SHARE = 1 / 3  # a single word never claims more of the table's width than this
_NUMBER = re.compile(r"[0-9๐-๙][0-9๐-๙,.:/%-]*")


@functools.lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """{codepoint: advance in em} of the PDF's Thai font, and a default for other characters."""
    from fontTools.ttLib import TTFont


    path = thai_fonts.patched_fonts().get("bold" if bold else "regular") or thai_fonts.source_font(bold)
    if path is None:
        return {}, 0.5
    font = TTFont(str(path), lazy=True)
    upem, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    advances = {cp: metrics[name][0] / upem for cp, name in font.getBestCmap().items()}
    return advances, advances.get(ord("ก"), 0.55)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of one line of text in points."""
    advances, default = _advances(bold)
    return size_pt * sum(advances.get(ord(ch), default) for ch in text)


@functools.lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The pieces a line may break between: Thai words, and numbers kept whole."""
    from pythainlp.tokenize import word_tokenize

    pieces = []
    for chunk in re.split(r"(\s+)", text):
        if not chunk:
            continue
        if chunk.isspace():
            pieces.append(" ")
            continue
        tokens, start = [], 0
        for match in _NUMBER.finditer(chunk):  # PyThaiNLP splits 12,500.00 at its comma and point
            tokens += word_tokenize(chunk[start:match.start()], engine="newmm") if match.start() > start else []
            tokens.append(match.group())
            start = match.end()
        tokens += word_tokenize(chunk[start:], engine="newmm") if start < len(chunk) else []
        pieces += _joined(tokens)
    return tuple(pieces)


def _joined(tokens: list[str]) -> list[str]:
    """Tokens a line cannot break between joined: Thai next to Latin letters or digits (no break
    opportunity for Pango or LibreOffice: "แผนงานoperating"), and punctuation with its word."""
    out = []
    for token in tokens:
        if out and (_no_break(out[-1][-1], token[0]) or token[0] in _CLOSING or out[-1][-1] in _OPENING):
            out[-1] += token
        else:
            out.append(token)
    return out


def _no_break(before: str, after: str) -> bool:
    thai = ("\u0e00" <= before <= "\u0e7f", "\u0e00" <= after <= "\u0e7f")
    return thai[0] != thai[1] and before.isalnum() and after.isalnum()


_CLOSING, _OPENING = set(")]}”’,.;:!?%ๆฯ/"), set("([{“‘")


def break_pieces(text: str) -> list[list[str]]:
    """text's lines, each as its words and spaces: a line may break before each piece."""
    return [list(words(line)) for line in text.split("\n")]


def longest_word(text: str, size_pt: float, bold: bool = False) -> float:
    return max((text_width(w, size_pt, bold) for line in text.splitlines() for w in words(line)), default=0.0)


def line_count(text: str, width_pt: float, size_pt: float, bold: bool = False) -> int:
    """How many lines text takes in a box width_pt wide, breaking between words."""
    return len(wrap(text, width_pt, size_pt, bold))


def wrap(text: str, width_pt: float, size_pt: float, bold: bool = False) -> list[str]:
    """text as the lines it takes in a box width_pt wide, broken between words; a word wider than
    the box is broken where it must be (between characters, never before a mark). Nothing is
    dropped: a paragraph's last line keeps its "\n", a space where a line breaks stays at the end
    of the line before, so that "".join(lines) is text."""
    lines = []
    paragraphs = (text or "").split("\n")
    for number, paragraph in enumerate(paragraphs):
        start, line, used = len(lines), "", 0.0
        for word in words(paragraph):
            width = text_width(word, size_pt, bold)
            if word == " " and not used:  # a space where a line starts takes no room
                if len(lines) > start and not line:
                    lines[-1] += word  # the space the line broke at ends the line before
                else:
                    line += word
                continue
            if used and used + width > width_pt and word != " ":
                lines.append(line)
                line, used = "", 0.0
            if width > width_pt:
                *whole, word = _cut(word, width_pt, size_pt, bold)
                if whole:
                    lines += [line + whole[0], *whole[1:]]
                    line = ""
                width = text_width(word, size_pt, bold)
            line, used = line + word, used + width
        lines.append(line + ("\n" if number < len(paragraphs) - 1 else ""))
    return lines


def _cut(word: str, width_pt: float, size_pt: float, bold: bool) -> list[str]:
    """A word wider than width_pt in pieces that fit, the last maybe shorter."""
    pieces, piece = [], ""
    for ch in word:
        if piece and unicodedata.category(ch) != "Mn" and text_width(piece + ch, size_pt, bold) > width_pt:
            pieces.append(piece)
            piece = ""
        piece += ch
    return pieces + [piece]


SPLIT_SHARE = 1 / 4  # a row taller than this share of the page may split across pages


def row_lines(texts: list[str], widths_pt: list[float], size_pt: float, bold: bool = False) -> int:
    """How many lines the tallest cell of a row takes."""
    return max((line_count(t, w - PADDING_PT, size_pt, bold) for t, w in zip(texts, widths_pt) if t), default=1)


LINE_EM = 1.25  # the PDF's line height (templates/reports/pdf/document.html), Word's too


def may_split(texts: list[str], widths_pt: list[float], size_pt: float, page_height_pt: float,
              line_height: float = LINE_EM) -> bool:
    """Whether a row is tall enough to split across pages: short rows are kept whole (a row never
    parts from its next line for nothing), a tall one starts where it is and goes on on the next
    page, under the repeated header, instead of leaving a page mostly empty."""
    return row_lines(texts, widths_pt, size_pt) * size_pt * line_height > page_height_pt * SPLIT_SHARE


SMALLEST_PT = 10  # a crowded table's text is made smaller down to this before its words must break


def fitting_size(table: doc.Table, usable_pt: float, size_pt: float) -> float:
    """The font size of a table: size_pt, or smaller by whole points (down to SMALLEST_PT) while
    its numbers, dates and longest words do not fit across the page side by side (the สขร.1's
    eleven columns beside amounts of millions): smaller text rather than words broken."""
    size = size_pt
    while size > SMALLEST_PT and table.data_rows:
        needs = [max(_needs(table, i, size, usable_pt)) for i in range(len(table.columns))]
        if sum(needs) <= usable_pt:
            break
        size -= 1
    return size


def column_widths(table: doc.Table, usable_pt: float, size_pt: float) -> list[float]:
    """Each column's width in points; together they fill usable_pt.

    Every column first gets what it needs (its numbers and dates whole, its longest word, see
    _needs); what is left goes to the columns in proportion to how much text they hold, each up to
    the width of its longest line (a column never gets wider than its text), so that the columns
    with long text are wide and the rows low. When every column holds all its text on one line, the
    rest is shared by the document's relative widths. A table without rows keeps those."""
    relative = [c.width for c in table.columns]
    if not table.data_rows:
        return [usable_pt * w / sum(relative) for w in relative]
    hard, soft = zip(*(_needs(table, i, size_pt, usable_pt) for i in range(len(table.columns))))
    needs = [max(h, s) for h, s in zip(hard, soft)]
    if sum(needs) > usable_pt:  # not every word fits: numbers and dates still must, the longest words break
        cap = _water_level([s - h for h, s in zip(hard, soft) if s > h], usable_pt - sum(hard))
        needs = [h + min(max(s - h, 0.0), cap) for h, s in zip(hard, soft)]
    if sum(needs) >= usable_pt:  # too many numbers for the page: share in proportion to need
        return [usable_pt * n / sum(needs) for n in needs]
    texts = [_texts(table, i) for i in range(len(table.columns))]
    longest = [max([text_width(line, size_pt) for t in column for line in t.splitlines()], default=0.0) + PADDING_PT
               for column in texts]
    volume = [sum(text_width(t, size_pt) for t in column) if c.kind == doc.TEXT else 0.0
              for c, column in zip(table.columns, texts)]
    widths = list(needs)
    room = usable_pt - sum(widths)
    while room > 0.01:
        growing = [i for i in range(len(widths)) if volume[i] > 0 and widths[i] < longest[i] - 0.01]
        if not growing:
            break
        share = room / sum(volume[i] for i in growing)
        for i in growing:
            grow = min(volume[i] * share, longest[i] - widths[i])
            widths[i] += grow
            room -= grow
    if room > 0.01:  # every text on one line: the rest by the relative widths
        widths = [w + room * r / sum(relative) for w, r in zip(widths, relative)]
    return widths


def _texts(table: doc.Table, i: int) -> list[str]:
    column = table.columns[i]
    values = [row[i] for row in table.data_rows] + ([table.total[i]] if table.total else [])
    return [doc.format_value(v, column.kind) for v in values if v not in (None, "")]


def _needs(table: doc.Table, i: int, size_pt: float, usable_pt: float) -> tuple[float, float]:
    """(what the column must have: its numbers and dates whole, what it should have: its longest word)."""
    column = table.columns[i]
    texts = _texts(table, i)
    header = longest_word(column.title, size_pt, bold=True)
    if column.numeric or column.kind == doc.DATE:  # printed whole, on one line; totals in bold
        need = max([text_width(t, size_pt, bold=True) for t in texts] + [header]) + PADDING_PT
        return need, need
    word = max([longest_word(t, size_pt) for t in texts] + [header])
    numbers = max([text_width(m.group(), size_pt) for t in texts for m in _NUMBER.finditer(t)], default=0.0)
    return numbers + PADDING_PT, max(min(word, usable_pt * MAX_WORD_SHARE), numbers) + PADDING_PT


def _water_level(needs: list[float], room: float) -> float:
    """The largest cap such that the needs, each cut to it, fit in room."""
    if not needs:
        return 0.0
    level, left = 0.0, len(needs)
    for need in sorted(needs):
        if need * left > room:
            return max(room / left, 0.0)
        room, left, level = room - need, left - 1, need
    return level
