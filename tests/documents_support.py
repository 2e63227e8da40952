"""Shared helpers for the generated-document tests (this module holds no tests): a unit with a
month of every dataset and the cases that broke layouts (amounts of millions, long Thai words in
narrow columns, an emoji, a 1080 × 8000 screenshot), and reading geometry out of PDFs with PDFium.
"""

import datetime
import io
import unicodedata
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from ita_portal.lib import stored, thaidate
from ita_portal.lib.uploads import validate_upload
from reports.forms import store_photo
from reports.management.commands.bench_reports import seed_unit
from reports.models import Activity, Bid, BudgetLine, BudgetPlan, BudgetSpending, OperationsReport, ProcurementMonth, Purchase
from units.models import Officer, UnitType

MONTH = thaidate.fiscal_month_date(2567, 10)
BIG_PURCHASE = Decimal("12500000.00")
MILLION = Decimal("1000000.00")
LONG_WORDS = ("ผู้ประกอบการ", "ผู้ชนะ")  # the second in ผู้ชนะการเสนอราคา
EMOJI_TEXT = "✅ ตรวจจุดเสี่ยงครบทุกจุด 👮 สายตรวจ"
TALL_CAPTION = "ภาพหน้าจอการประชาสัมพันธ์ทางเว็บไซต์ (ยาวทั้งหน้า)"


def png(width: int, height: int, colour=(30, 90, 160)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


@stored.atomic()  # stores a photo
def difficult_unit(n: int = 0, activities: int = 8, photos: int = 2):
    """A police station with a month of every dataset, its head, and the cases that broke layouts."""
    unit = seed_unit(UnitType.objects.get(code=UnitType.POLICE_STATION), MONTH, n, activities=activities, photos=photos)
    unit.head = Officer.objects.create(unit=unit, rank="พ.ต.อ.", first_name="อิทธิวัฒน์", last_name="นุชถาวร",
                                       position=f"ผกก.{unit.short_name_th}")
    unit.save()
    report = OperationsReport.objects.get(unit=unit, month=MONTH)
    Activity.objects.create(report=report, date_from=MONTH, description=EMOJI_TEXT, responsible=LONG_WORDS[0])
    store_photo(report, validate_upload(SimpleUploadedFile(f"{TALL_CAPTION}.png", png(1080, 8000))))
    line = BudgetLine.objects.create(plan=BudgetPlan.objects.get(unit=unit), source="investment", planned=MILLION,
                                     description="ก่อสร้างป้อมตำรวจ")
    BudgetSpending.objects.create(line=line, month=MONTH, amount=MILLION)
    procurement = ProcurementMonth.objects.get(unit=unit, month=MONTH)
    purchase = Purchase.objects.create(
        procurement=procurement, item="จ้างก่อสร้างอาคารที่ทำการสถานีตำรวจ", budget=BIG_PURCHASE,
        reference_price=BIG_PURCHASE, method="selection", winner=f"{LONG_WORDS[0]}ก่อสร้างไทย",
        agreed_price=Decimal("12350000.00"), reason="ผู้ชนะการเสนอราคา", contract_number="จ 1/2567",
        contract_date=MONTH + datetime.timedelta(days=20))
    Bid.objects.create(purchase=purchase, bidder=f"{LONG_WORDS[0]}ก่อสร้างไทย", price=Decimal("12350000.00"))
    return unit


# --- geometry in a PDF page, read with PDFium ------------------------------------------------------

def text_boxes(pdf_bytes: bytes, text: str) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page index, (left, bottom, right, top)) of every occurrence of text."""
    import pypdfium2

    found = []
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    for number, page in enumerate(pdf):
        textpage = page.get_textpage()
        searcher = textpage.search(text)
        while (hit := searcher.get_next()) is not None:
            index, count = hit
            boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
            found.append((number, (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                   max(b[2] for b in boxes), max(b[3] for b in boxes))))
    pdf.close()
    return found


def vertical_rules(pdf_bytes: bytes, page_index: int) -> list[tuple[float, float, float]]:
    """(x, bottom, top) of the vertical lines drawn on a page: table borders."""
    import pypdfium2
    import pypdfium2.raw as raw

    pdf = pypdfium2.PdfDocument(pdf_bytes)
    rules = []
    for obj in pdf[page_index].get_objects(max_depth=3):
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if right - left < 2 and top - bottom > 4:
            rules.append(((left + right) / 2, bottom, top))
    pdf.close()
    return rules


def images_on_pages(pdf_bytes: bytes) -> list[tuple[int, tuple[float, float, float, float], tuple[float, float]]]:
    """(page index, (left, bottom, right, top), (page width, page height)) of every image."""
    import pypdfium2
    import pypdfium2.raw as raw

    pdf = pypdfium2.PdfDocument(pdf_bytes)
    found = []
    for number, page in enumerate(pdf):
        for obj in page.get_objects(max_depth=3):
            if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                found.append((number, obj.get_bounds(), page.get_size()))
    pdf.close()
    return found


# --- long rows: what the forms allow (500 characters) and a month of 30 purchases -----------------

LONG_TEXT_WORDS = ("คุณสมบัติ", "กรุงเทพมหานคร", "สาธารณูปโภค", "บุคลากรภาครัฐ", "ศรีพัฒนานนท์", "ดำเนินการ")


def long_text(length: int = 499, start: str = "") -> str:
    """Thai text of exactly `length` characters made of real words (the words that broke)."""
    phrase = ("จัดซื้อครุภัณฑ์คอมพิวเตอร์ตามคุณสมบัติที่กำหนดสำหรับงานสาธารณูปโภคของสถานีตำรวจในเขตกรุงเทพมหานคร "
              "เพื่อสนับสนุนการปฏิบัติงานของบุคลากรภาครัฐ โดยบริษัท ศรีพัฒนานนท์ จำกัด ดำเนินการติดตั้ง ")
    text = start
    while len(text) < length:
        text += phrase
    text = text[:length]
    return text[:-1] + "ร" if text[-1] == " " else text


def long_purchases(unit, count: int = 30) -> None:
    """`count` purchases of the unit's month, each with a 499-character item and reason."""
    procurement = ProcurementMonth.objects.get(unit=unit, month=MONTH)
    for i in range(count):
        purchase = Purchase.objects.create(
            procurement=procurement, item=long_text(499, f"{i + 1}. "), budget=Decimal("12400.00"),
            reference_price=Decimal("12400.00"), method="specific", winner="บริษัท ศรีพัฒนานนท์ จำกัด",
            agreed_price=Decimal("12400.00"), reason=long_text(499), contract_number=f"บส {i + 10}/2567",
            contract_date=MONTH + datetime.timedelta(days=3))
        Bid.objects.create(purchase=purchase, bidder="บริษัท ศรีพัฒนานนท์ จำกัด", price=Decimal("12400.00"))


def letters(text: str) -> str:
    """The letters and digits of a text, for comparing what LibreOffice printed with what we wrote:
    without white space (wrapping adds line breaks), punctuation and symbols (a hyphen where a line
    breaks copies out as U+FFFE; emoji have no font in LibreOffice here) and Thai marks (LibreOffice's
    PDFs put some after the wrong letter in their text layer: ศักดิ์ เป็น copies out as ศักดิ เป็นผ ์,
    theirs to fix). What is compared is that every value is there, in order."""
    decomposed = unicodedata.normalize("NFKD", text)  # ำ → ํ + า, so that both spellings compare equal
    return "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LN")
