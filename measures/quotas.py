"""EIT/IIT collection: the minimum respondents per line of work, and how far each has come."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from measures.models import QuotaCount, SurveyQuota


@dataclass
class QuotaRow:
    quota: SurveyQuota

    @property
    def count(self) -> int:
        return self.quota.latest_count or 0

    @property
    def counted_on(self):
        return self.quota.latest_date

    @property
    def minimum(self) -> int | None:
        return self.quota.minimum

    @property
    def percent(self) -> int | None:
        if not self.minimum:
            return None
        return min(100, round(100 * self.count / self.minimum))

    @property
    def met(self) -> bool:
        return self.minimum is not None and self.count >= self.minimum

    @property
    def remaining(self) -> int:
        return max(0, (self.minimum or 0) - self.count)


@dataclass
class Survey:
    instrument: str
    rows: list = field(default_factory=list)

    @property
    def minimum(self) -> int:
        return sum(r.minimum or 0 for r in self.rows)

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rows)

    @property
    def percent(self) -> int | None:
        return min(100, round(100 * self.count / self.minimum)) if self.minimum else None

    @property
    def met(self) -> bool:
        return all(r.met for r in self.rows if r.minimum is not None) and self.count >= self.minimum


def quotas_for_page(plan):
    """The plan's quotas with their latest count, in one query (plus collectors, prefetched)."""
    latest = QuotaCount.objects.filter(quota=OuterRef("pk")).order_by("-date", "-pk")
    return (plan.quotas.select_related("line_of_work").prefetch_related("collectors")
            .annotate(latest_count=Subquery(latest.values("count")[:1]), latest_date=Subquery(latest.values("date")[:1])))


def progress(plan) -> list[Survey]:
    surveys = {}
    for quota in quotas_for_page(plan):
        surveys.setdefault(quota.instrument, Survey(quota.instrument)).rows.append(QuotaRow(quota))
    return [surveys[key] for key in (SurveyQuota.EIT, SurveyQuota.IIT) if key in surveys]


def record_count(quota: SurveyQuota, date, count: int, user) -> QuotaCount:
    """The number of respondents by `date`; entering the same day again corrects it."""
    entry, _created = QuotaCount.objects.update_or_create(quota=quota, date=date,
                                                          defaults={"count": count, "entered_by": user})
    return entry
