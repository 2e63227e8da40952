"""The demo units' measures as data: loaded idempotently from measures/data, officers linked by
name (aliases included), OIT rows linked to their items, dates as dates."""

import datetime
import io

import pytest
import yaml
from django.core.management import call_command

from measures import loading
from measures.models import Activity, CalendarPhase, Measure, MeasurePlan, ProgressUpdate
from measures.people import Directory, bare_name
from units.models import Officer

FY = 2567
D = datetime.date


def plan_of(slug):
    return MeasurePlan.objects.get(unit__slug=slug, fiscal_year=FY)


def keys(officers):
    return {o.key for o in officers.all()}


@pytest.mark.parametrize("slug, counts", [
    ("sn-buengkum", {"oss": 6, "oit": 25, "website": 2, "monitoring": 2, "activities": 25, "analysis": 10, "phases": 9, "quotas": 6}),
    ("imm-buengkan", {"oss": 6, "oit": 24, "website": 4, "monitoring": 3, "activities": 0, "analysis": 0, "phases": 9, "quotas": 0}),
])
def test_the_seeds_are_held_in_full(db, slug, counts):
    plan = plan_of(slug)
    found = {area: plan.measures.filter(area=area).count() for area, _label in Measure.AREAS}
    found.update(activities=plan.activities.count(), analysis=plan.analyses.count(), phases=plan.phases.count(),
                 quotas=plan.quotas.count())
    assert found == counts
    oit = plan.measures.filter(area=Measure.OIT).select_related("item")
    assert all(m.item and m.item.code == m.code for m in oit)
    assert [m.code for m in oit.order_by("order")] == [f"O{n}" for n in range(1, counts["oit"] + 1)]


def test_loading_again_changes_nothing(db):
    before = {p.pk: (p.data_version, p.updated_at) for p in MeasurePlan.objects.all()}
    rows = set(Measure.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("load_measures", stdout=out)
    assert "up to date" in out.getvalue()
    assert {p.pk: (p.data_version, p.updated_at) for p in MeasurePlan.objects.all()} == before
    assert set(Measure.objects.values_list("pk", flat=True)) == rows


def test_every_listed_name_links_an_officer(db):
    for result in loading.load_all(force=True):
        assert result.loaded and result.unmatched == [], result.path


def test_a_new_version_updates_in_place_and_keeps_progress(db, tmp_path, users):
    source = loading.DATA_DIR / "imm-buengkan-2567.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    plan = plan_of("imm-buengkan")
    kept = plan.measures.get(code="O3")
    ProgressUpdate.objects.create(measure=plan.measures.get(code="O24"), date=D(2024, 3, 1), text="x",
                                  status="done", created_by=users["other-admin"])
    data["version"] = 2
    data["oit"] = [row for row in data["oit"] if row["code"] not in ("O23", "O24")]
    data["oit"][2]["aspect"] = "กฎหมายที่เกี่ยวข้อง (ปรับปรุง)"
    changed = tmp_path / "imm.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = loading.load_file(changed)
    assert result.loaded and plan_of("imm-buengkan").data_version == 2
    kept.refresh_from_db()  # the same row, updated
    assert kept.aspect == "กฎหมายที่เกี่ยวข้อง (ปรับปรุง)"
    codes = set(plan.measures.values_list("code", flat=True))
    assert "O23" not in codes and "O24" in codes  # gone from the file; kept where it has progress
    assert not loading.load_file(changed).loaded  # and then it is up to date


def test_officers_are_linked_and_their_text_kept(db):
    police, immigration = plan_of("sn-buengkum"), plan_of("imm-buengkan")
    o21 = police.measures.get(code="O21")
    assert "ภูขะมา" in o21.people and keys(o21.controllers) == {"bk-wittaya"} and keys(o21.responsible) == {"bk-chatchai"}
    o13 = police.measures.get(code="O13")
    assert keys(o13.responsible) == {"bk-chaiyakorn", "bk-chatchai"}
    o6 = police.measures.get(code="O6")
    assert "หัวหน้างานทุกสายงาน" in o6.people and keys(o6.controllers) == set()
    o24 = immigration.measures.get(code="O24")  # the seed writes กิติโณม here
    assert "กิติโณม" in o24.people and keys(o24.controllers) == {"bg-kitichom", "bg-chutikorn"}
    assert keys(o24.responsible) == {"bg-kriangkrai", "bg-jessada", "bg-songsak", "bg-pimsiri"}
    assert police.briefing_chair_officer.key == "bk-ittiwat"
    assert keys(immigration.measures.get(area="monitoring", order=302).responsible) == {"bg-jatuporn"}  # by position
    eit = police.phases.get(kind="eit")
    assert keys(eit.responsible) == {"bk-chatchai", "bk-suwan", "bk-somjai", "bk-anirut", "bk-thawit"}


def test_dates_are_dates(db):
    police = plan_of("sn-buengkum")
    assert police.briefing_date == D(2024, 3, 1) and police.briefing_place == "ห้องประชุม สน.บึงกุ่ม"
    assert police.measures.get(code="O8").deadline == D(2024, 2, 29)  # "ภายใน ก.พ.๖๗"
    shift = police.activities.get(issue="การจัดเวรเหลื่อมเวลา")
    assert shift.deadline == D(2024, 3, 15) and shift.indicator == 1
    budget = police.activities.get(indicator=2)
    assert budget.deadline == D(2024, 3, 20) and budget.deadline_note == "และต้องสื่อสารในเรื่องดังกล่าว ทุก ๒ วัน"
    daily = police.activities.get(deadline_note="ทุกวัน")
    assert daily.deadline is None
    results = police.phases.get(kind="results")
    assert (results.starts, results.ends, results.period_text) == (D(2024, 8, 1), D(2024, 8, 31), "เดือน สิงหาคม ๒๕๖๗")
    assert [p.kind for p in police.phases.order_by("order")] == [
        "preparation", "registration", "iit", "eit", "oit", "scoring", "appeal", "processing", "results"]
    assert Activity.objects.filter(plan=police, indicator=7).count() == 5
    assert CalendarPhase.objects.filter(plan__unit__slug="imm-buengkan", people="").count() == 9


@pytest.mark.parametrize("printed, key", [
    ("พ.ต.ท.วิทยา ภูชะมา", "bk-wittaya"), ("พ.ต.ท.วิทยา ภูขะมา", "bk-wittaya"), ("สว.อก.", "bk-wittaya"),
    ("สด.ต.ชาติชาย เจียมประเสริฐ", "bk-chatchai"), ("-ด.ต.ชาติชาย เจียม ประเสริฐ", "bk-chatchai"),
    ("ต.ต.ชาติชาย เจริญประเสริฐ", "bk-chatchai"), ("ร.ต.ต.ทวีข ศรีกาญจน์", "bk-thawit"),
    ("พ.ต.อ.อิวัฒน์ นุช ถาวร", "bk-ittiwat"), ("ผกก.สน.บึงกุ่ม", "bk-ittiwat"),
    ("หัวหน้างานทุกสายงาน", None), ("พ.ต.ท.สมชาย ไม่มีชื่อ", None),
])
def test_names_as_printed_find_their_officer(station, printed, key):
    found = Directory.of(station).find(printed)
    assert (found.key if found else None) == key


def test_an_ambiguous_name_links_nobody(station):
    Officer.objects.create(unit=station, rank="ด.ต.", first_name="ชาติชาย", last_name="ใจดี", key="bk-other-chatchai")
    directory = Directory.of(station)
    assert directory.find("ด.ต.ชาติชาย") is None
    assert directory.find("ด.ต.ชาติชาย เจียมประเสริฐ").key == "bk-chatchai"
    assert bare_name("ว่าที่ พ.ต.ท.หญิง ชุติกร ลิ้มวิเศษศักดิ์") == "ชุติกรลิ้มวิเศษศักดิ์"
