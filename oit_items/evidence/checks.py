"""The automatic OIT checks: a framework's rules evaluated against a unit's evidence.

Each rule type is one function `(rule, context) -> list[Failure]`, named in CHECKS by the same
name the data files use (see rules.py for their parameters). Evaluation is pure Python over
evidence already loaded, so a page can check every item with no extra queries.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate


def format_label(fmt: str) -> str:
    return {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "image": _("image")}[fmt]


def month_name(month: datetime.date) -> str:
    return thaidate.month_label(month, style="medium", language=translation.get_language() or "th")


@dataclass(frozen=True)
class Failure:
    month: datetime.date | None
    message: str


@dataclass
class Context:
    """Evidence of one item of one unit, by month (None = the whole-year period), removed excluded."""

    item: object
    evidence: dict  # month -> list[Evidence]

    def periods(self):
        """(month date or None, evidence) for each period the item has in its fiscal year."""
        if not self.item.months:
            yield None, self.evidence.get(None, [])
            return
        fy = self.item.framework.fiscal_year
        for month in thaidate.fiscal_year_months(fy, self.item.months):
            yield month, self.evidence.get(month, [])

    def all_evidence(self):
        for _month, items in self.periods():
            yield from items


def _declared_none(evidence) -> bool:
    return any(e.kind == e.NONE for e in evidence)


def _in(month) -> str:
    return _(" for %(month)s") % {"month": month_name(month)} if month else ""


def check_periods(rule, ctx):
    failures = []
    for month, evidence in ctx.periods():
        real = [e for e in evidence if e.kind != e.NONE]
        if real:
            continue
        if _declared_none(evidence):
            if not rule.get("none_allowed"):
                failures.append(Failure(month, _("A “none this month” declaration is not accepted%(in)s; evidence is required.") % {"in": _in(month)}))
            continue
        failures.append(Failure(month, _("No evidence%(in)s.") % {"in": _in(month)}))
    return failures


def check_formats(rule, ctx):
    failures = []
    for month, evidence in ctx.periods():
        if month and not evidence:
            continue  # an empty month is reported once, by the periods rule
        if _declared_none(evidence) and not any(e.kind == e.FILE for e in evidence):
            continue
        present = {e.format for e in evidence if e.kind == e.FILE}
        for group in rule["all_of"]:
            if not present & set(group):
                label = _(" or ").join(format_label(f) for f in group)
                failures.append(Failure(month, _("Missing a %(format)s file%(in)s.") % {"format": label, "in": _in(month)}))
    return failures


def check_languages(rule, ctx):
    present = set()
    for evidence in ctx.all_evidence():
        present |= {"th", "en"} if evidence.language == "both" else {evidence.language}
    names = {"th": _("Thai"), "en": _("English")}
    return [Failure(None, _("Missing the %(language)s version.") % {"language": names[lang]})
            for lang in rule["required"] if lang not in present]


COUNTERS = {
    "news": lambda e: e.is_news,
    "photo": lambda e: e.kind == e.FILE and e.format == "image",
    "file": lambda e: e.kind == e.FILE,
    "link": lambda e: e.kind == e.LINK,
}


def kind_label(kind):
    return {"news": _("news items"), "photo": _("photos"), "file": _("files"), "link": _("links")}[kind]


def check_min_count(rule, ctx):
    count_of = COUNTERS[rule["kind"]]
    failures = []
    scopes = list(ctx.periods()) if ctx.item.months else [(None, list(ctx.all_evidence()))]
    for month, evidence in scopes:
        if month and not any(e.kind != e.NONE for e in evidence):
            continue  # empty or declared none: the periods rule speaks for that month
        found = sum(1 for e in evidence if count_of(e))
        if found < rule["count"]:
            failures.append(Failure(month, _("At least %(count)s %(kind)s are required%(in)s (found %(found)s).") % {
                "count": rule["count"], "kind": kind_label(rule["kind"]), "in": _in(month), "found": found}))
    return failures


def _normal(text):
    return "".join(text.lower().split())


def check_links(rule, ctx):
    links = [e for e in ctx.all_evidence() if e.kind == e.LINK]
    failures = []
    if len(links) < rule.get("min", 1):
        failures.append(Failure(None, _("At least %(count)s links are required (found %(found)s).") % {
            "count": rule.get("min", 1), "found": len(links)}))
    titles = [_normal(e.title) for e in links]
    for name in rule.get("names_th", []):
        if not any(_normal(name) in title for title in titles):
            failures.append(Failure(None, _("Missing the link “%(name)s”.") % {"name": name}))
    return failures


def check_about_date(rule, ctx):
    start = datetime.date.fromisoformat(rule["from"]) if "from" in rule else None
    end = datetime.date.fromisoformat(rule["to"]) if "to" in rule else None
    failures = []
    for month, evidence in ctx.periods():
        for piece in evidence:
            day = piece.about_date
            if piece.kind == piece.NONE or not ((start and day < start) or (end and day > end)):
                continue
            failures.append(Failure(month, _("“%(title)s” is dated %(date)s, outside %(start)s – %(end)s.") % {
                "title": piece.title, "date": thaidate.thai_date(day, "medium"),
                "start": thaidate.thai_date(start, "medium") if start else "…",
                "end": thaidate.thai_date(end, "medium") if end else "…"}))
    return failures


def contradicts(evidence) -> bool:
    """A period that says "none" and holds evidence too: both would be published, one denying the other."""
    return _declared_none(evidence) and any(e.kind != e.NONE for e in evidence)


def check_contradictions(ctx) -> list[Failure]:
    """Not a framework rule: true of every item. The evidence services refuse to make such a period;
    this finds the ones made before they did, and holds their submission until one side is removed."""
    return [Failure(month, _("“None this month” is declared%(in)s, yet evidence is there too: remove the declaration or the evidence.")
                    % {"in": _in(month)}) for month, evidence in ctx.periods() if contradicts(evidence)]


CHECKS = {
    "periods": check_periods,
    "formats": check_formats,
    "languages": check_languages,
    "min_count": check_min_count,
    "links": check_links,
    "about_date": check_about_date,
}


# Rules that judge evidence that is there (its formats, counts, dates): with no evidence at all they
# have nothing to judge, and saying "passed" would be a green tick without evidence.
NEEDS_EVIDENCE = {"formats", "min_count", "about_date"}

PASSED, FAILED, NOT_YET = "passed", "failed", "not_yet"
# What a period's checks show before its due date has passed (see `shown_status`).
NOT_DUE, IN_PROGRESS = "not_due", "in_progress"


@dataclass(frozen=True)
class RuleResult:
    rule: dict
    failures: list
    status: str  # PASSED, FAILED or NOT_YET (nothing to judge yet); as of a day: also IN_PROGRESS, NOT_DUE
    not_due: tuple = ()  # as of a day (ItemCheck.rules_on): failures of periods not yet begun, kept out of `failures`
    in_progress: tuple = ()  # as of a day: failures of periods begun but not past their due date, likewise


def _status(rule, failures, ctx) -> str:
    if failures:
        return FAILED
    if rule["type"] in NEEDS_EVIDENCE and not any(e.kind != e.NONE for e in ctx.all_evidence()):
        return NOT_YET
    return PASSED


def shown_status(item, month, failures, today: datetime.date) -> str:
    """What a period's checks show on `today` — the one place that decides it: PASSED when nothing
    fails; else NOT_DUE while the period has not begun, IN_PROGRESS until its due date has passed
    (what is missing is work to do, not a failure), and FAILED only after that."""
    if not failures:
        return PASSED
    return {item.NOT_DUE: NOT_DUE, item.IN_PROGRESS: IN_PROGRESS}.get(item.timing(month, today), FAILED)


@dataclass(frozen=True)
class PeriodStatus:
    """A period's checks: passed or not, why, and what that shows on the day asked (`shown`): a
    period with nothing in it does not pass (by the periods rule, or "no evidence yet"), but it
    shows as failed only once its due date has passed."""

    passed: bool
    failures: list
    shown: str = FAILED

    @property
    def failed(self) -> bool:
        """Shown as failed (red): past its due date with checks that fail."""
        return self.shown == FAILED


@dataclass
class ItemCheck:
    item: object
    failures: list[Failure] = field(default_factory=list)
    rule_results: list[RuleResult] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)  # what was judged: month -> list[Evidence]

    @property
    def passed(self) -> bool:
        return not self.failures

    def failures_for(self, month) -> list[Failure]:
        return [f for f in self.failures if f.month == month]

    def period(self, month, today: datetime.date | None = None) -> PeriodStatus:
        """The status of one period (a month, or None for the whole year) on `today`: what its cell,
        its entry in my work, its review before approval and its stored readiness all show."""
        failures = self.failures_for(month)
        return PeriodStatus(not failures, failures, shown_status(self.item, month, failures, today or timezone.localdate()))

    def rules_on(self, today: datetime.date) -> list[RuleResult]:
        """The rule results as they show on `today`: a rule failing only in periods whose due date
        has not passed is IN_PROGRESS (or NOT_DUE when none of them has begun), not FAILED. Its
        `failures` are then only those past their due date; the others are set apart as work in
        progress (`in_progress`) or not yet due (`not_due`), never listed as failures."""
        shown = []
        for result in self.rule_results:
            if result.status != FAILED:
                shown.append(result)
                continue
            by_status = {FAILED: [], IN_PROGRESS: [], NOT_DUE: []}
            for failure in result.failures:
                by_status[shown_status(self.item, failure.month, [failure], today)].append(failure)
            status = next(s for s in (FAILED, IN_PROGRESS, NOT_DUE) if by_status[s])
            shown.append(RuleResult(result.rule, by_status[FAILED], status, tuple(by_status[NOT_DUE]),
                                    tuple(by_status[IN_PROGRESS])))
        return shown


def evaluate(item, evidence_by_month: dict) -> ItemCheck:
    ctx = Context(item, evidence_by_month)
    result = ItemCheck(item, evidence=evidence_by_month)
    if not any(r["type"] == "periods" for r in item.rules) and not list(ctx.all_evidence()):
        failure = Failure(None, _("No evidence yet."))
        result.failures.append(failure)
        result.rule_results.append(RuleResult({"type": "evidence"}, [failure], FAILED))
    for rule in item.rules:
        failures = CHECKS[rule["type"]](rule, ctx)
        result.rule_results.append(RuleResult(rule, failures, _status(rule, failures, ctx)))
        result.failures.extend(failures)
    if clashes := check_contradictions(ctx):
        result.rule_results.append(RuleResult({"type": "contradiction"}, clashes, FAILED))
        result.failures.extend(clashes)
    return result


def period_status(item, month, evidence_by_month: dict) -> PeriodStatus:
    """One period's status from its item's rules and the item's evidence by month, already loaded
    (no queries). Give the evidence of all the item's periods, not only this one's: rules may count
    the whole year."""
    return evaluate(item, evidence_by_month).period(month)


def judged(item, evidence_by_month: dict) -> tuple:
    """What an evaluation depends on: the item's rules and the pieces in each of its periods at their
    versions (every edit, replacement and removal of a piece changes its version)."""
    pieces = Context(item, evidence_by_month).periods()
    return item.pk, item.rules, tuple(tuple((e.pk, e.version) for e in evidence) for _month, evidence in pieces)


def evaluate_once(item, evidence_by_month: dict, known: ItemCheck | None = None) -> ItemCheck:
    """`known` when it judged these same rules and evidence, else a new evaluation: a change checked
    before it is made (an approval's review) is not checked again under the lock, nor for the stored
    readiness, unless something changed in between."""
    if known is not None and judged(known.item, known.evidence) == judged(item, evidence_by_month):
        return known
    return evaluate(item, evidence_by_month)
