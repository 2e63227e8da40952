"""A format-neutral document: what a report says, never how a format draws it.

A report (or an integrity-measures document) builds one `Document` from its data; the renderers
in `reports.renderers` turn the same Document into PDF, Word and Excel bytes. Keep this module free
of Django models and of any renderer: it is shared by `reports/` and `measures/`.

Table cells are typed by their column: text, integer, money (Decimal, 2 places) or date. Values
are checked and normalised when the table is built, so every renderer can rely on them, and the
optional total row is computed here once — the three formats cannot disagree on a sum. A table
may hold group rows (a phase, an area) that head the rows below them across the whole width.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ita_portal.lib import thaidate

TEXT, INTEGER, MONEY, DATE = "text", "integer", "money", "date"
KINDS = (TEXT, INTEGER, MONEY, DATE)
CENT = Decimal("0.01")


class DocumentError(ValueError):
    pass


def money(value) -> Decimal:
    """A Decimal of baht with 2 places; floats are refused (they cannot hold satang exactly)."""
    if isinstance(value, float):
        raise DocumentError("money must be Decimal, int or str, not float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal) -> str:
    """1234567.5 → "1,234,567.50"."""
    return f"{money(value):,.2f}"


def format_integer(value: int) -> str:
    return f"{value:,}"


def format_value(value, kind: str) -> str:
    """How PDF and Word print a cell (Excel keeps the typed value)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # text, or the total row's label in whatever column it sits
        return value
    if kind == MONEY:
        return format_money(value)
    if kind == INTEGER:
        return format_integer(value)
    if kind == DATE:
        return thaidate.thai_date(value, "medium")
    return str(value)


def _normalise(value, kind: str):
    if value is None:
        return None
    if kind == TEXT:
        return str(value)
    if kind == INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DocumentError(f"integer cell got {value!r}")
        return value
    if kind == MONEY:
        return money(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if not isinstance(value, datetime.date):
        raise DocumentError(f"date cell got {value!r}")
    return value


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    width: float = 1.0  # relative width
    total: bool | None = None  # summed in the total row; by default money and integer columns are

    def __post_init__(self):
        if self.kind not in KINDS:
            raise DocumentError(f"unknown column kind {self.kind!r}")

    @property
    def summed(self) -> bool:
        return self.kind in (INTEGER, MONEY) if self.total is None else self.total

    @property
    def numeric(self) -> bool:
        return self.kind in (INTEGER, MONEY)


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    text: str
    align: str = "left"  # left, center, right
    bold: bool = False
    keep_with_next: bool = False  # on the same page as what follows (a caption above its pictures)


@dataclass
class Image:
    content: bytes  # JPEG or PNG
    caption: str = ""
    width_cm: float = 7.5

    @property
    def pixels(self) -> tuple[int, int]:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(self.content)) as image:
            return image.size

    def fit(self, max_width_cm: float, max_height_cm: float) -> tuple[float, float]:
        """(width, height) in cm at width_cm, scaled down to fit the box; proportions kept."""
        width, height = self.pixels
        printed = min(self.width_cm, max_width_cm, max_height_cm * width / height)
        return printed, printed * height / width


@dataclass
class GroupRow:
    """A row of a table that heads the rows below it across every column (a phase, an area)."""
    text: str


@dataclass
class Signer:
    title: str  # what the signature stands for: "ผู้รายงาน", "หัวหน้าหน่วย"
    name: str = ""  # rank and name; a dotted line to fill in when empty
    position: str = ""
    note: str = ""  # above the signature: the head's acknowledgement ("ทราบ") or orders


SIGN_HERE = "." * 28  # a dotted line to sign or write on


@dataclass
class Signatures:
    """The signature lines that close a report: who reports it and, where an item must be
    "reported to the head" (O7, O12, O13 police; O6, O11, O12 immigration), the head's
    acknowledgement."""
    signers: list[Signer]


@dataclass
class Cover:
    """A cover page before the document (the measures documents have one, as the seeds do): the
    lines in order, the first as the title, under the unit's emblem when there is one."""
    lines: list[str]
    emblem: bytes = b""  # JPEG or PNG


@dataclass
class Table:
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    caption: str = ""
    total_label: str | None = None  # when set, a total row sums the summed columns
    empty_text: str = ""  # printed in place of the rows when there are none

    def __post_init__(self):
        if not self.columns:
            raise DocumentError("a table needs columns")
        normalised = []
        for row in self.rows:
            if isinstance(row, GroupRow):
                normalised.append(row)
                continue
            if len(row) != len(self.columns):
                raise DocumentError(f"row has {len(row)} cells for {len(self.columns)} columns: {row!r}")
            normalised.append([_normalise(v, c.kind) for v, c in zip(row, self.columns)])
        self.rows = normalised

    @property
    def data_rows(self) -> list[list]:
        return [r for r in self.rows if not isinstance(r, GroupRow)]

    @property
    def total_span(self) -> int:
        """How many leading columns the total row's label spans: up to the first summed column."""
        return max(next((i for i, c in enumerate(self.columns) if c.summed), len(self.columns)), 1)

    @property
    def total(self) -> list | None:
        """The total row: the label in the first column that is not summed, sums where summed."""
        if self.total_label is None:
            return None
        row = [None] * len(self.columns)
        label_at = next((i for i, c in enumerate(self.columns) if not c.summed), None)
        if label_at is not None:
            row[label_at] = self.total_label
        for i, column in enumerate(self.columns):
            if column.summed:
                values = [r[i] for r in self.data_rows if r[i] is not None]
                row[i] = sum(values, money(0) if column.kind == MONEY else 0)
        return row


@dataclass
class Document:
    title: str
    unit_name: str
    period_label: str  # "ตุลาคม 2566", or "ปีงบประมาณ 2567"
    blocks: list = field(default_factory=list)
    addressee: str = ""  # "เรียน ผกก.สน.บึงกุ่ม"
    subtitle: str = ""
    landscape: bool = False
    author: str = ""
    cover: Cover | None = None

    @classmethod
    def for_month(cls, title: str, unit_name: str, month: datetime.date, **kwargs) -> "Document":
        return cls(title=title, unit_name=unit_name, period_label=thaidate.month_label(month, "full"), **kwargs)

    def add(self, *blocks) -> "Document":
        for block in blocks:
            if not isinstance(block, (Heading, Paragraph, Table, Image, Signatures)):
                raise DocumentError(f"not a block: {block!r}")
            self.blocks.append(block)
        return self

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def texts(self):
        """Every piece of text the document prints (to choose fonts for the characters it uses)."""
        yield from (self.title, self.subtitle, self.unit_name, self.period_label, self.addressee)
        yield from (self.cover.lines if self.cover else [])
        for block in self.blocks:
            if isinstance(block, Table):
                yield block.caption
                yield block.empty_text
                yield from (c.title for c in block.columns)
                for row in block.rows + ([block.total] if block.total else []):
                    yield from ([row.text] if isinstance(row, GroupRow) else [v for v in row if isinstance(v, str)])
            elif isinstance(block, Signatures):
                yield from (f"{s.title} {s.name} {s.position} {s.note}" for s in block.signers)
            else:
                yield getattr(block, "text", "") or getattr(block, "caption", "")


# --- file names -------------------------------------------------------------------------------

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 240  # ext4 and most file systems refuse more than 255 bytes; Thai is 3 a letter
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(kind: str, period: str, fmt: str, middle: str = "") -> str:
    """"<kind> <middle> <period>.<fmt>", at most MAX_NAME_CHARS characters and MAX_NAME_BYTES
    UTF-8 bytes: the kind and the period are kept whole, the middle (a title, a unit) is cut at a
    word boundary and then the kind, so that a user can still tell the files apart."""
    kind, middle, period = (" ".join(_UNSAFE.sub(" ", part).split()) for part in (kind, middle, period))
    ending = f" {period}.{fmt}" if period else f".{fmt}"

    def fits(text):
        return len(text) <= MAX_NAME_CHARS and len(text.encode()) <= MAX_NAME_BYTES

    name = " ".join(part for part in (kind, middle) if part)
    if not fits(name + ending):
        head = shorten(kind, MAX_NAME_CHARS // 2)
        room = [len(head) + 1, len(head.encode()) + 1]
        middle = shorten(middle, MAX_NAME_CHARS - room[0] - len(ending),
                         MAX_NAME_BYTES - room[1] - len(ending.encode())) if middle else ""
        name = " ".join(part for part in (head, middle) if part)
    return name + ending


def shorten(text: str, max_chars: int, max_bytes: int | None = None) -> str:
    """The longest start of text that fits, ending at a word boundary (Thai words found by
    PyThaiNLP), never in the middle of a word unless one word alone is too long."""
    def fits(candidate):
        return len(candidate) <= max_chars and (max_bytes is None or len(candidate.encode()) <= max_bytes)

    if fits(text):
        return text
    from pythainlp.tokenize import word_tokenize

    out = ""
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if not fits(out + word):
            break
        out += word
    out = out.rstrip(" -–,(") or text[:max(max_chars, 1)]
    while not fits(out):
        out = out[:-1]
    return out
