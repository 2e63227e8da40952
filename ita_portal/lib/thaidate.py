"""The Thai calendar as the portal uses it.

Years shown to people are Buddhist Era (BE = CE + 543). The fiscal year runs 1 October – 30
September and is named by the BE year in which it ends: FY2567 = 1 Oct 2023 – 30 Sep 2024.
Code keeps `datetime.date` (CE) everywhere and converts only at the edges.
"""

import datetime
import re

BE_OFFSET = 543
FISCAL_YEAR_START_MONTH = 10

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTHS_EN_ABBR = tuple(m[:3] for m in MONTHS_EN)

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_FROM_THAI = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_thai_digits(value) -> str:
    return str(value).translate(_TO_THAI)


def from_thai_digits(value: str) -> str:
    return str(value).translate(_FROM_THAI)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def fiscal_year(day: datetime.date) -> int:
    """The BE fiscal year that contains `day` (1 Oct 2023 → 2567; 30 Sep 2024 → 2567)."""
    year = day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year
    return be_year(year)


def fiscal_year_bounds(fy: int) -> tuple[datetime.date, datetime.date]:
    end_year = ce_year(fy)
    return datetime.date(end_year - 1, 10, 1), datetime.date(end_year, 9, 30)


def fiscal_month_date(fy: int, month: int) -> datetime.date:
    """First day of calendar `month` (1–12) inside fiscal year `fy`."""
    end_year = ce_year(fy)
    year = end_year - 1 if month >= FISCAL_YEAR_START_MONTH else end_year
    return datetime.date(year, month, 1)


def fiscal_year_months(fy: int, months=None) -> list[datetime.date]:
    """First days of the fiscal year's months in order (Oct … Sep), or of `months` only."""
    order = list(range(10, 13)) + list(range(1, 10))
    wanted = order if months is None else [m for m in order if m in set(months)]
    return [fiscal_month_date(fy, m) for m in wanted]


def month_label(day: datetime.date, style: str = "abbr", language: str = "th", thai_digits: bool = False) -> str:
    """`ต.ค.66` (abbr), `ต.ค. 2566` (medium), `ตุลาคม 2566` (full); English `Oct 2023` / `October 2023`."""
    if language == "en":
        names = MONTHS_EN if style == "full" else MONTHS_EN_ABBR
        return f"{names[day.month - 1]} {day.year}"
    if style == "abbr":
        text = f"{MONTHS_TH_ABBR[day.month - 1]}{be_year(day.year) % 100:02d}"
    elif style == "medium":
        text = f"{MONTHS_TH_ABBR[day.month - 1]} {be_year(day.year)}"
    else:
        text = f"{MONTHS_TH[day.month - 1]} {be_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def thai_date(day: datetime.date, style: str = "full", thai_digits: bool = False) -> str:
    """`1 มีนาคม 2567` (full), `1 มี.ค. 2567` (medium), `1 มี.ค.67` (abbr)."""
    be = be_year(day.year)
    if style == "abbr":
        text = f"{day.day} {MONTHS_TH_ABBR[day.month - 1]}{be % 100:02d}"
    elif style == "medium":
        text = f"{day.day} {MONTHS_TH_ABBR[day.month - 1]} {be}"
    else:
        text = f"{day.day} {MONTHS_TH[day.month - 1]} {be}"
    return to_thai_digits(text) if thai_digits else text


class AmbiguousYear(ValueError):
    pass


# A typed year between these bounds is taken as BE; one that looks like CE is refused rather
# than guessed, because silently storing 2024 as BE 2024 (CE 1481) is the mistake to avoid.
BE_MIN, BE_MAX = 2400, 2700
CE_MIN, CE_MAX = 1900, 2200


def parse_be_year(text) -> int:
    """Parse a BE year typed by a person (Arabic or Thai digits, optional `พ.ศ.`); return BE."""
    cleaned = from_thai_digits(str(text)).replace("พ.ศ.", "").replace("พศ", "").strip()
    if not re.fullmatch(r"\d{4}", cleaned):
        raise ValueError(text)
    year = int(cleaned)
    if BE_MIN <= year <= BE_MAX:
        return year
    if CE_MIN <= year <= CE_MAX:
        raise AmbiguousYear(year)
    raise ValueError(text)


_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/\-. ]\s*(\d{1,2})\s*[/\-. ]\s*(\d{4})\s*$")


def parse_thai_date(text) -> datetime.date:
    """Parse `d/m/BBBB` (BE, Arabic or Thai digits, separators / - . or space) or ISO `BBBB-mm-dd`."""
    cleaned = from_thai_digits(str(text)).strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if iso:
        year, month, day = iso.group(1), iso.group(2), iso.group(3)
    else:
        match = _DATE_RE.match(cleaned)
        if not match:
            raise ValueError(text)
        day, month, year = match.groups()
    be = parse_be_year(year)
    return datetime.date(ce_year(be), int(month), int(day))
