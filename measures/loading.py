"""Load a unit's measures from a versioned data file (measures/data/<unit>-<year>.yaml; schema in
measures/data/README.md).

Idempotent: a plan already at the file's version is left alone, so what the unit changed in the
portal survives `load_demo`; bump `version` in the file to update it in place. Rows are matched by
key, so progress, photos and status stay attached; a row that left the file is deleted unless it
has progress, which is never thrown away.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from measures.models import Activity, CalendarPhase, IndicatorAnalysis, Measure, MeasurePlan, SurveyQuota
from measures.people import Directory
from oit_items.rulebook.models import Item
from units.models import LineOfWork, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA = 1
PLAN_FIELDS = [f.name for f in MeasurePlan._meta.get_fields()
               if getattr(f, "editable", False) and f.concrete and f.name not in ("id", "unit", "fiscal_year",
                                                                                  "briefing_chair_officer")]
MEASURE_AREAS = [("one_stop_service", Measure.ONE_STOP), ("oit", Measure.OIT), ("website", Measure.WEBSITE),
                 ("monitoring", Measure.MONITORING)]


class DataFileError(ValueError):
    pass


@dataclass
class Result:
    path: Path
    plan: MeasurePlan | None = None
    loaded: bool = False
    counts: dict = field(default_factory=dict)
    unmatched: list = field(default_factory=list)  # names that link to no officer

    def __str__(self):
        if not self.loaded:
            return f"{self.path.name}: up to date (version {self.plan.data_version})"
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"{self.path.name}: loaded version {self.plan.data_version} ({counts})"


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def load_all(force: bool = False) -> list[Result]:
    return [load_file(path, force=force) for path in data_files()]


@transaction.atomic
def load_file(path: Path, force: bool = False) -> Result:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise DataFileError(f"{path}: expected schema {SCHEMA}")
    result = Result(Path(path))
    unit = Unit.objects.filter(slug=data["unit"]).first()
    if unit is None:
        raise DataFileError(f"{path}: no unit {data['unit']!r} (load the units first)")
    plan, created = MeasurePlan.objects.get_or_create(unit=unit, fiscal_year=int(data["fiscal_year"]),
                                                      defaults={"title": data["plan"]["title"]})
    result.plan = plan
    version = int(data.get("version", 1))
    if not created and plan.data_version >= version and not force:
        return result
    _Loader(plan, data, result).load(version)
    result.loaded = True
    return result


class _Loader:
    def __init__(self, plan: MeasurePlan, data: dict, result: Result):
        self.plan, self.data, self.result = plan, data, result
        self.directory = Directory.of(plan.unit)
        self.items = {i.code: i for i in Item.objects.for_unit(plan.unit, plan.fiscal_year)}

    def load(self, version: int) -> None:
        self._plan(version)
        measures = []
        for section, area in MEASURE_AREAS:
            measures += [self._measure(area, index, row) for index, row in enumerate(self.data.get(section) or [], 1)]
        self._prune(self.plan.measures, measures, "updates")
        self._prune(self.plan.activities, [self._activity(i, row) for i, row in enumerate(self.data.get("activities") or [], 1)], "updates")
        self._prune(self.plan.phases, [self._phase(i, row) for i, row in enumerate(self.data.get("calendar") or [], 1)])
        self._prune(self.plan.quotas, [self._quota(i, row) for i, row in enumerate(self.data.get("quotas") or [], 1)], "counts")
        self._analysis(self.data.get("analysis") or [])
        self.result.counts = {
            "measures": len(measures), "activities": self.plan.activities.count(), "analysis": self.plan.analyses.count(),
            "phases": self.plan.phases.count(), "quotas": self.plan.quotas.count(),
        }

    def _officers(self, names) -> list:
        found, unmatched = self.directory.resolve(names)
        self.result.unmatched += unmatched
        return found

    def _plan(self, version: int) -> None:
        entry = dict(self.data["plan"])
        chair = entry.pop("briefing_chair_name", "")
        unknown = set(entry) - set(PLAN_FIELDS)
        if unknown:
            raise DataFileError(f"{self.result.path}: unknown plan fields {sorted(unknown)}")
        for name in PLAN_FIELDS:
            value = entry.get(name)
            setattr(self.plan, name, MeasurePlan._meta.get_field(name).get_default() if value is None else value)
        chair_officers = self._officers([chair]) if chair else []
        self.plan.briefing_chair_officer = chair_officers[0] if chair_officers else None
        self.plan.source = self.data.get("source", self.result.path.name)[:200]
        self.plan.data_version = version
        self.plan.save()

    def _people(self, row, obj) -> None:
        obj.responsible.set(self._officers(row.get("responsible")))
        obj.controllers.set(self._officers(row.get("controllers")))

    def _measure(self, area: str, index: int, row: dict) -> Measure:
        code = (row.get("code") or "").upper()
        key = row.get("key") or (code.lower() if code else f"{area}-{row.get('kind') or index}")
        measure = self._upsert(Measure, key, {
            "area": area, "order": _order(area, index), "kind": row.get("kind", ""), "code": code,
            "item": self.items.get(code), "aspect": row["aspect"], "points": row.get("points", ""),
            "people": row.get("people", ""), "deadline": row.get("deadline"), "deadline_note": row.get("deadline_note", ""),
        })
        self._people(row, measure)
        return measure

    def _activity(self, index: int, row: dict) -> Activity:
        activity = self._upsert(Activity, row.get("key") or f"activity-{index}", {
            "order": index, "indicator": int(row["indicator"]), "issue": row.get("issue", ""),
            "activity": row["activity"], "output": row.get("output", ""), "communication": row.get("communication", ""),
            "deadline": row.get("deadline"), "deadline_note": row.get("deadline_note", ""),
            "people": row.get("people", ""), "follow_up": row.get("follow_up", ""),
        })
        self._people(row, activity)
        return activity

    def _phase(self, index: int, row: dict) -> CalendarPhase:
        phase = self._upsert(CalendarPhase, row.get("key") or row["kind"], {
            "order": index, "stage": row["stage"], "kind": row["kind"], "starts": row["starts"], "ends": row["ends"],
            "period_text": row.get("period_text", ""), "step": row.get("step", ""), "work": row.get("work", ""),
            "people": row.get("people", ""),
        })
        self._people(row, phase)
        return phase

    def _quota(self, index: int, row: dict) -> SurveyQuota:
        line = None
        if row.get("line_of_work"):
            line = LineOfWork.objects.get(unit_type_id=self.plan.unit.unit_type_id, code=row["line_of_work"])
        key = row.get("key") or f"{row['instrument']}-{row.get('line_of_work') or 'all'}"
        quota = self._upsert(SurveyQuota, key, {
            "order": index, "instrument": row["instrument"], "line_of_work": line, "label": row["label"],
            "minimum": row.get("minimum"), "collector": row.get("collector", ""), "note": row.get("note", ""),
        })
        quota.collectors.set(self._officers(row.get("collectors")))
        return quota

    def _analysis(self, rows) -> None:
        numbers = []
        for row in rows:
            IndicatorAnalysis.objects.update_or_create(plan=self.plan, indicator=int(row["indicator"]),
                                                       defaults={"issues": row["issues"]})
            numbers.append(int(row["indicator"]))
        self.plan.analyses.exclude(indicator__in=numbers).delete()

    def _upsert(self, model, key: str, values: dict):
        obj, _created = model.objects.update_or_create(plan=self.plan, key=key, defaults=values)
        return obj

    @staticmethod
    def _prune(related, kept, keep_if=None) -> None:
        """Delete rows that left the file, except those with progress (or counts) on them."""
        stale = related.exclude(pk__in=[o.pk for o in kept])
        if keep_if:
            stale = stale.filter(**{f"{keep_if}__isnull": True})
        stale.delete()


def _order(area: str, index: int) -> int:
    """Areas print in this order: One Stop Service, OIT items, website, monitoring."""
    return [a for _section, a in MEASURE_AREAS].index(area) * 100 + index
