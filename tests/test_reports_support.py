"""Shared helpers for the tests/test_reports_*.py modules (this module holds no tests).

Posting the data-entry forms as a browser would, and reading generated files back: PDF text with
pypdf (normalised to NFC, the canonical order of Thai marks), Word with python-docx, Excel with openpyxl.
"""

import datetime
import io
import unicodedata
from decimal import Decimal

from django.urls import reverse

OCT, NOV, DEC, APR = (datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2023, 12, 1),
                      datetime.date(2024, 4, 1))

PURCHASES = [
    {"item": "จัดซื้อน้ำดื่มสำหรับผู้มาติดต่อราชการ", "budget": "12,500.00", "reference_price": "12,500.00",
     "method": "specific", "bids_text": "ร้านน้ำใสบึงกุ่ม 12,000.00\nห้างหุ้นส่วนจำกัด ธาราทิพย์ 12,400.50",
     "winner": "ร้านน้ำใสบึงกุ่ม", "agreed_price": "12,000.00", "reason": "ราคาต่ำสุดและคุณสมบัติครบถ้วน",
     "contract_number": "บส 12/2567", "contract_date": "5/10/2566"},
    {"item": "จ้างซ่อมแซมรถยนต์สายตรวจ ทะเบียน โล่ 1234", "budget": "48,150.75", "reference_price": "",
     "method": "specific", "bids_text": "อู่ช่างเก่งยนตรการ 47,980.25 บาท",
     "winner": "อู่ช่างเก่งยนตรการ", "agreed_price": "47,980.25", "reason": "ผู้ประกอบการในพื้นที่ ให้บริการรวดเร็ว",
     "contract_number": "ซม 3/2567", "contract_date": "20/10/2566"},
]
AGREED_TOTAL = Decimal("59980.25")
BUDGET_TOTAL = Decimal("60650.75")


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def edit_url(dataset: str, period: str, slug: str = "sn-buengkum", year: int = 2567) -> str:
    return reverse("reports-edit", args=[slug, year, dataset, period])


def render_url(kind: str, period: str, slug: str = "sn-buengkum", year: int = 2567) -> str:
    return reverse("reports-render", args=[slug, year, kind, period])


def status_url(kind: str, period: str, slug: str = "sn-buengkum", year: int = 2567) -> str:
    return reverse("reports-status", args=[slug, year, kind, period])


def enter_procurement(client, period="m10", purchases=(), announcements=(), no_procurement=False, note="", slug="sn-buengkum"):
    data = {"note": note, **formset("purchases", list(purchases)), **formset("announcements", list(announcements))}
    if no_procurement:
        data["no_procurement"] = "on"
    return client.post(edit_url("procurement", period, slug), data)


def ask_for(client, kind, period, capture, slug="sn-buengkum"):
    """Ask for a kind's documents through the view; the job runs on commit (Celery eager here)."""
    with capture(execute=True):
        response = client.post(render_url(kind, period, slug))
    assert response.status_code in (200, 302), response.content[:500]
    return response


def stored(evidence) -> bytes:
    with evidence.current_revision.file.open("rb") as handle:
        return handle.read()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return unicodedata.normalize("NFC", text)


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return unmark("\n".join(parts))


def unmark(text: str) -> str:
    """Word text without the zero-width spaces that mark where its Thai lines may break."""
    return text.replace("\u200b", "")


def docx_tables(content: bytes) -> list[list[list[str]]]:
    import docx

    return [[[unmark(cell.text) for cell in row.cells] for row in table.rows] for table in docx.Document(io.BytesIO(content)).tables]


def workbook(content: bytes, formulas: bool = False):
    """The workbook as a viewer shows it (totals are SUM formulas: their cached results), or with
    the formulas themselves."""
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(content), data_only=not formulas)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Without whitespace: a value in a narrow PDF table cell wraps over several lines."""
    return "".join(nfc(text).split())


def in_pdf(value: str, text: str) -> bool:
    return squash(value) in squash(text)


