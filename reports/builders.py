"""Each report kind's data → one format-neutral Document (see reports.document).

Builders run inside a render job with Thai active: the documents are published in Thai whatever
language the officer who asked for them uses. They raise NoData with a reason the officer can act on.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate
from reports import statistics
from reports.document import (
    DATE,
    INTEGER,
    MONEY,
    SIGN_HERE,
    TEXT,
    Column,
    Document,
    Heading,
    Image,
    Paragraph,
    Signatures,
    Signer,
    Table,
    format_money,
    money,
)
from reports.document import file_name as document_file_name
from reports.models import (
    Announcement,
    BudgetLine,
    BudgetMonth,
    BudgetPlan,
    BudgetSpending,
    FundMonth,
    FundSpending,
    OperationsReport,
    ProcurementMonth,
    Purchase,
    StatisticsReport,
)

# Photos are printed at most this many pixels wide or high: phone photos at full size would make
# documents too heavy to publish (and to pass the evidence size limit).
PRINT_PIXELS = 1600


class NoData(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _month_name(month) -> str:
    return thaidate.month_label(month, "full")


def _document(title: str, unit, month, **kwargs) -> Document:
    return Document.for_month(title, unit.name_th, month, author=unit.name_th, **kwargs)


def _number() -> Column:
    return Column(_("No."), INTEGER, 0.75, total=False)


def addressee(unit) -> str:
    head = unit.head
    return _("To: %(head)s") % {"head": head.position if head and head.position else _("the head of unit")}


def reported_to_the_head(unit) -> Signatures:
    """The reporter's signature and the head's acknowledgement, for the items that must be
    "reported to the head": the operations report, the budget report, the investigation fund."""
    head = unit.head
    return Signatures([
        Signer(_("Reporter")),
        Signer(_("Head of unit"), name=head.display_name if head else "", position=head.position if head else "",
               note=f"{_('Acknowledged / orders:')} {SIGN_HERE}"),
    ])


def file_name(stem: str, month, fmt: str) -> str:
    """"สขร.1 ต.ค.66.pdf": the document kind and the month, within the length limits of file names."""
    return document_file_name(str(stem), thaidate.month_label(month), fmt)


# --- operations -------------------------------------------------------------------------------

def operations(unit, month) -> Document:
    report = (OperationsReport.objects.filter(unit=unit, month=month)
              .prefetch_related("activities__line_of_work", "photos").first())
    if report is None or not report.activities.all():
        raise NoData(_("No activities were entered for %(month)s.") % {"month": _month_name(month)})
    document = _document(_("Monthly operations report"), unit, month, addressee=addressee(unit))
    if report.summary:
        document.add(Paragraph(report.summary))
    by_line = defaultdict(list)
    for activity in report.activities.all():
        by_line[activity.line_of_work].append(activity)
    columns = [_number(), Column(_("Date"), DATE, 1.1), Column(_("Until"), DATE, 1.1), Column(_("Activity"), TEXT, 3.4),
               Column(_("Responsible"), TEXT, 1.6)]
    ordered = sorted(by_line, key=lambda line: (line is None, line.order if line else 0))
    for line in ordered:
        rows = [[i, a.date_from, a.date_to, a.description, a.responsible] for i, a in enumerate(by_line[line], start=1)]
        document.add(Heading(_("Line of work: %(line)s") % {"line": line.name_th} if line else _("Other activities")),
                     Table(columns, rows))
    photos = list(report.photos.all())
    if photos:
        document.add(Heading(_("Photos of the activities")))
        for photo in photos:
            with photo.file.open("rb") as stored:
                document.add(Image(for_print(stored.read()), caption=photo.caption, width_cm=7.5))
    return document.add(reported_to_the_head(unit))


def for_print(content: bytes) -> bytes:
    """A photo scaled down to PRINT_PIXELS, as JPEG (photos are stored already without metadata)."""
    import io

    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(content)) as image:
        if max(image.size) <= PRINT_PIXELS and image.format == "JPEG":
            return content
        image = image.convert("RGB")
        image.thumbnail((PRINT_PIXELS, PRINT_PIXELS))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
        return out.getvalue()


# --- statistics -------------------------------------------------------------------------------

def statistics_report(unit, month) -> Document:
    tables = statistics.tables_for(unit.unit_type.code)
    report = StatisticsReport.objects.filter(unit=unit, month=month).first()
    if not tables:
        raise NoData(_("No statistics categories are defined for this type of unit."))
    if report is None:
        raise NoData(_("No statistics were entered for %(month)s.") % {"month": _month_name(month)})
    document = _document(_("Statistics of the unit's core-mission results"), unit, month)
    for table in tables:
        columns = [Column(_("Category"), TEXT, 3)] + [Column(str(c), INTEGER, 1) for c in table.columns]
        rows = [[str(row)] + [report.count(table.key, row.key, c.key) for c in table.columns] for row in table.rows]
        document.add(Table(columns, rows, caption=str(table.title), total_label=_("Total")))
    if report.note:
        document.add(Paragraph(report.note))
    return document


# --- budget -----------------------------------------------------------------------------------

def _months_until(month) -> list[datetime.date]:
    fy = thaidate.fiscal_year(month)
    return [m for m in thaidate.fiscal_year_months(fy) if m <= month]


def _percent(part: Decimal, whole: Decimal) -> str:
    return f"{(100 * part / whole).quantize(Decimal('0.01'))}%" if whole else "-"


def budget(unit, month) -> Document:
    plan = BudgetPlan.objects.filter(unit=unit, fiscal_year=thaidate.fiscal_year(month)).first()
    lines = list(BudgetLine.objects.filter(plan=plan)) if plan else []
    if not lines:
        raise NoData(_("No budget plan was entered for fiscal year %(year)s.") % {"year": thaidate.fiscal_year(month)})
    months = _months_until(month)
    spent = {(s.line_id, s.month): s.amount for s in BudgetSpending.objects.filter(line__in=lines, month__in=months)}
    notes = BudgetMonth.objects.filter(unit=unit, month=month).first()
    document = _document(_("Budget spending report"), unit, month, addressee=addressee(unit),
                         subtitle=_("Fiscal year %(year)s, up to %(month)s") % {"year": thaidate.fiscal_year(month), "month": _month_name(month)})
    sources = dict(BudgetLine.SOURCES)
    rows = []
    for line in sorted(lines, key=lambda budget_line: (list(sources).index(budget_line.source), budget_line.pk)):
        to_date = sum((spent.get((line.pk, m), Decimal(0)) for m in months), money(0))
        rows.append([str(sources[line.source]), line.description, line.planned, spent.get((line.pk, month), money(0)),
                     to_date, line.planned - to_date])
    document.add(Heading(_("Spending plan and results by funding source")), Table(
        [Column(_("Funding source"), TEXT, 1.4), Column(_("Programme or item"), TEXT, 2.4), Column(_("Allocated"), MONEY, 1.3),
         Column(_("Spent this month"), MONEY, 1.3), Column(_("Spent to date"), MONEY, 1.3), Column(_("Remaining"), MONEY, 1.3)],
        rows, total_label=_("Total")))
    planned = sum((budget_line.planned for budget_line in lines), money(0))
    document.add(Heading(_("Spending by month against the plan")), _monthly_table(lines, months, spent, planned))
    document.add(Heading(_("Problems and obstacles")), Paragraph(notes.problems if notes and notes.problems else "-"))
    document.add(Heading(_("Suggestions")), Paragraph(notes.suggestions if notes and notes.suggestions else "-"))
    return document.add(reported_to_the_head(unit))


def _monthly_table(lines, months, spent, planned) -> Table:
    rows, cumulative = [], money(0)
    for m in months:
        in_month = sum((spent.get((budget_line.pk, m), Decimal(0)) for budget_line in lines), money(0))
        cumulative += in_month
        rows.append([thaidate.month_label(m, "medium"), in_month, cumulative, _percent(cumulative, planned)])
    return Table([Column(_("Month"), TEXT, 1.2), Column(_("Spent in the month"), MONEY, 1.4),
                  Column(_("Spent to date"), MONEY, 1.4, total=False), Column(_("Share of the allocation"), TEXT, 1.2)],
                 rows, total_label=_("Total"))


# --- investigation fund -----------------------------------------------------------------------

def investigation_fund(unit, month) -> Document:
    current = FundMonth.objects.filter(unit=unit, month=month).prefetch_related("spending").first()
    if current is None:
        raise NoData(_("No investigation fund data were entered for %(month)s.") % {"month": _month_name(month)})
    start, _end = thaidate.fiscal_year_bounds(thaidate.fiscal_year(month))
    earlier = FundMonth.objects.filter(unit=unit, month__gte=start, month__lt=month)
    allocated_before = earlier.aggregate(s=Sum("allocated"))["s"] or money(0)
    spent_before = FundSpending.objects.filter(fund_month__in=earlier).aggregate(s=Sum("amount"))["s"] or money(0)
    spending = list(current.spending.all())
    spent_now = sum((s.amount for s in spending), money(0))
    brought = allocated_before - spent_before
    document = _document(_("Report on the fund for criminal investigation and inquiry"), unit, month,
                         addressee=addressee(unit))
    document.add(Heading(_("Allocation and balance")), Table(
        [Column(_("Item"), TEXT, 3), Column(_("Amount (baht)"), MONEY, 1.4)],
        [[_("Brought forward from earlier months"), brought], [_("Allocated this month"), current.allocated],
         [_("Spent this month"), spent_now], [_("Balance"), brought + current.allocated - spent_now]]))
    document.add(Heading(_("Spending this month")), Table(
        [_number(), Column(_("Date"), DATE, 1.1), Column(_("Case or purpose"), TEXT, 3.5), Column(_("Amount (baht)"), MONEY, 1.4)],
        [[i, s.date, s.description, s.amount] for i, s in enumerate(spending, start=1)],
        total_label=_("Total"), empty_text=_("No spending this month.")))
    if current.note:
        document.add(Paragraph(current.note))
    return document.add(reported_to_the_head(unit))


# --- procurement ------------------------------------------------------------------------------

def _procurement(unit, month) -> ProcurementMonth:
    found = (ProcurementMonth.objects.filter(unit=unit, month=month)
             .prefetch_related("purchases__bids", "announcements").first())
    if found is None:
        raise NoData(_("No procurement data were entered for %(month)s. Enter the purchases, or declare that "
                       "there was no procurement.") % {"month": _month_name(month)})
    return found


def _none_this_month(document, procurement, month) -> Document:
    document.add(Paragraph(_("No procurement this month (%(month)s).") % {"month": _month_name(month)}, bold=True))
    if procurement.note:
        document.add(Paragraph(procurement.note))
    return document


def procurement_announcements(unit, month) -> Document:
    procurement = _procurement(unit, month)
    document = _document(_("Procurement announcements"), unit, month)
    if procurement.no_procurement:
        return _none_this_month(document, procurement, month)
    kinds = dict(Announcement.KINDS)
    rows = [[i, str(kinds[a.kind]), a.title, a.date, a.url] for i, a in enumerate(procurement.announcements.all(), start=1)]
    document.add(Table([_number(), Column(_("Kind"), TEXT, 1.3), Column(_("Title"), TEXT, 3.2), Column(_("Date"), DATE, 1.1),
                        Column(_("Link"), TEXT, 2)], rows, empty_text=_("No procurement announcements this month.")))
    return document


def procurement_summary(unit, month) -> Document:
    """สขร.๑: the monthly summary of procurement results, in the columns of the official form."""
    procurement = _procurement(unit, month)
    document = _document(_("Summary of procurement results for the month (SKR.1)"), unit, month, landscape=True)
    if procurement.no_procurement:
        return _none_this_month(document, procurement, month)
    purchases = list(procurement.purchases.all())
    if not purchases:
        raise NoData(_("Enter the purchases of %(month)s, or declare that there was no procurement.") % {"month": _month_name(month)})
    methods = dict(Purchase.METHODS)
    baht = _("baht")
    rows = [[i, p.item, p.budget, p.reference_price, str(methods[p.method]),
             "\n".join(f"{b.bidder} {format_money(b.price)} {baht}" for b in p.bids.all()),
             p.winner, p.agreed_price, p.reason, p.contract_number, p.contract_date]
            for i, p in enumerate(purchases, start=1)]
    document.add(Table([
        _number(), Column(_("What was bought or hired"), TEXT, 2.2), Column(_("Budget (baht)"), MONEY, 1.25),
        Column(_("Reference price (baht)"), MONEY, 1.25), Column(_("Method"), TEXT, 1),
        Column(_("Bidders and prices offered"), TEXT, 2), Column(_("Selected supplier"), TEXT, 1.5),
        Column(_("Agreed price (baht)"), MONEY, 1.25), Column(_("Reason for the selection"), TEXT, 1.4),
        Column(_("Contract or agreement number"), TEXT, 1.1), Column(_("Contract date"), DATE, 1.1),
    ], rows, total_label=_("Total")))
    if procurement.note:
        document.add(Paragraph(procurement.note))
    return document
