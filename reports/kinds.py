"""What the reports app knows how to produce.

A *dataset* is what an officer enters for a unit and month (one form page); a *document kind* is
one document built from a dataset and attached to one OIT item, found by its topic (never by its
code: O15 for a police station is O14 for an immigration unit).
"""

from dataclasses import dataclass
from typing import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidate
from reports import builders
from reports.models import (
    BudgetMonth,
    BudgetPlan,
    BudgetSpending,
    FundMonth,
    OperationsReport,
    ProcurementMonth,
    StatisticsReport,
)
from units.models import Unit


@dataclass(frozen=True)
class DocumentKind:
    key: str
    topic: str  # the OIT item's topic
    dataset: str
    title: Promise
    file_stem: Promise  # file names: "<stem> ต.ค.66.pdf"
    build: Callable  # (unit, month) -> Document, raises builders.NoData
    attach_photos: bool = False  # also attach the report's photos where the item counts photos


@dataclass(frozen=True)
class Dataset:
    key: str
    topic: str  # whose item's rights govern entering the data
    title: Promise
    model: type
    kinds: tuple[str, ...]


DOCUMENT_KINDS = {k.key: k for k in (
    DocumentKind("monthly_report", "monthly_report", "operations", _("Monthly operations report"),
                 _("Operations report"), builders.operations, attach_photos=True),
    DocumentKind("statistics", "statistics", "statistics", _("Statistics"), _("Statistics"), builders.statistics_report),
    DocumentKind("budget", "budget", "budget", _("Budget spending report"), _("Budget spending"), builders.budget),
    DocumentKind("investigation_fund", "investigation_fund", "fund", _("Investigation fund report"),
                 _("Investigation fund"), builders.investigation_fund),
    DocumentKind("procurement_announcements", "procurement_announcements", "procurement",
                 _("Procurement announcements"), _("Procurement announcements"), builders.procurement_announcements),
    DocumentKind("procurement_summary", "procurement_summary", "procurement", _("Procurement summary (SKR.1)"),
                 _("SKR.1"), builders.procurement_summary),
)}

DATASETS = {d.key: d for d in (
    Dataset("operations", "monthly_report", _("Monthly operations report"), OperationsReport, ("monthly_report",)),
    Dataset("statistics", "statistics", _("Statistics"), StatisticsReport, ("statistics",)),
    Dataset("budget", "budget", _("Budget plan and spending"), BudgetPlan, ("budget",)),
    Dataset("fund", "investigation_fund", _("Investigation fund"), FundMonth, ("investigation_fund",)),
    Dataset("procurement", "procurement_summary", _("Procurement"), ProcurementMonth,
            ("procurement_announcements", "procurement_summary")),
)}


def months_with_data(dataset: Dataset, unit, fiscal_year: int) -> set:
    """The months (first days) of a fiscal year for which the unit entered this dataset."""
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    if dataset.model is BudgetPlan:
        spent = (BudgetSpending.objects.filter(line__plan__unit=unit, month__range=(start, end)).order_by()
                 .values_list("month", flat=True))
        noted = BudgetMonth.objects.filter(unit=unit, month__range=(start, end)).order_by().values_list("month", flat=True)
        return set(spent) | set(noted)
    return set(dataset.model.objects.filter(unit=unit, month__range=(start, end)).order_by().values_list("month", flat=True))


def units_with_data(kind: DocumentKind, month):
    """Units that entered the data a document kind needs for a month (for the monthly schedule)."""
    dataset = DATASETS[kind.dataset]
    if dataset.model is BudgetPlan:
        unit_ids = BudgetPlan.objects.filter(fiscal_year=thaidate.fiscal_year(month), lines__isnull=False).values("unit_id")
    else:
        unit_ids = dataset.model.objects.filter(month=month).values("unit_id")
    return Unit.objects.filter(pk__in=unit_ids).select_related("unit_type", "head")
