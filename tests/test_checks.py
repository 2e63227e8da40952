"""The automatic checks, rule by rule, on evidence built in memory (no database)."""

import datetime

import pytest
from django.utils import translation

from oit_items.evidence import checks
from oit_items.evidence.models import Evidence, Revision
from oit_items.rulebook import rules
from oit_items.rulebook.models import Framework, Item

OCT, NOV, DEC = datetime.date(2023, 10, 1), datetime.date(2023, 11, 1), datetime.date(2023, 12, 1)
MONTHS = [10, 11, 12, 1, 2, 3]


def item(*item_rules):
    return Item(code="O7", framework=Framework(fiscal_year=2567), rules=list(item_rules))


def file(fmt, **kw):
    return Evidence(kind=Evidence.FILE, title=kw.pop("title", fmt), about_date=kw.pop("about_date", OCT),
                    current_revision=Revision(format=fmt), **kw)


def link(title, **kw):
    return Evidence(kind=Evidence.LINK, title=title, url="https://example.go.th", about_date=kw.pop("about_date", OCT), **kw)


def none(**kw):
    return Evidence(kind=Evidence.NONE, title="ไม่มี", reason="ไม่มีการจัดซื้อจัดจ้าง", about_date=OCT, **kw)


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def test_every_rule_type_has_a_check():
    assert set(checks.CHECKS) == set(rules.VALIDATORS)


def test_monthly_pdf_and_word_reports_the_missing_word_file_of_november():
    o7 = item({"type": "periods", "months": MONTHS}, {"type": "formats", "all_of": [["pdf"], ["docx"]]})
    result = checks.evaluate(o7, {OCT: [file("pdf"), file("docx")], NOV: [file("pdf")]})
    assert result.period(OCT).passed
    assert [f.message for f in result.failures_for(NOV)] == ["ขาดไฟล์ Word ของเดือน พ.ย. 2566"]
    # An empty month is reported once, not once per missing format.
    assert [f.message for f in result.failures_for(DEC)] == ["ไม่มีหลักฐาน ของเดือน ธ.ค. 2566"]
    assert not result.passed


def test_alternative_formats():
    o11 = item({"type": "periods", "months": [10]}, {"type": "formats", "all_of": [["pdf"], ["xlsx", "docx"]]})
    assert checks.evaluate(o11, {OCT: [file("pdf"), file("xlsx")]}).passed
    assert checks.evaluate(o11, {OCT: [file("pdf"), file("docx")]}).passed
    failed = checks.evaluate(o11, {OCT: [file("pdf")]})
    assert [f.message for f in failed.failures] == ["ขาดไฟล์ Excel หรือ Word ของเดือน ต.ค. 2566"]


def test_none_declaration_where_allowed_and_where_not():
    allowed = item({"type": "periods", "months": [10], "none_allowed": True}, {"type": "formats", "all_of": [["pdf"]]})
    assert checks.evaluate(allowed, {OCT: [none()]}).passed
    refused = item({"type": "periods", "months": [10]})
    messages = [f.message for f in checks.evaluate(refused, {OCT: [none()]}).failures]
    assert len(messages) == 1 and "ไม่มี" in messages[0]


def test_languages():
    o18 = item({"type": "languages", "required": ["th", "en"]})
    assert checks.evaluate(o18, {None: [file("pdf", language="both")]}).passed
    failed = checks.evaluate(o18, {None: [file("pdf", language="th")]})
    assert [f.message for f in failed.failures] == ["ขาดฉบับภาษาอังกฤษ"]


def test_min_count_of_news_and_photos():
    o19 = item({"type": "min_count", "kind": "news", "count": 3})
    two = [link("ข่าว 1", is_news=True), link("ข่าว 2", is_news=True), link("ไม่ใช่ข่าว")]
    assert [f.message for f in checks.evaluate(o19, {None: two}).failures] == ["ต้องมีข่าวอย่างน้อย 3 รายการ (มี 2)"]
    assert checks.evaluate(o19, {None: two + [file("pdf", is_news=True)]}).passed
    photos = item({"type": "periods", "months": [10, 11]}, {"type": "min_count", "kind": "photo", "count": 4})
    result = checks.evaluate(photos, {OCT: [file("image")] * 4, NOV: [file("image")] * 3 + [file("pdf")]})
    assert result.period(OCT).passed and not result.period(NOV).passed


def test_named_links():
    o10 = item({"type": "links", "min": 2, "names_th": ["ระบบแจ้งความ Online", "ระบบเสียค่าปรับ Online"]})
    result = checks.evaluate(o10, {None: [link("ระบบแจ้งความ online ของ สน.")]})
    assert [f.message for f in result.failures] == [
        "ต้องมีลิงก์อย่างน้อย 2 รายการ (มี 1)", "ขาดลิงก์ “ระบบเสียค่าปรับ Online”"]


def test_about_date_range():
    o6 = item({"type": "about_date", "from": "2023-10-01"})
    old = link("ข่าวเก่า", about_date=datetime.date(2023, 9, 30))
    result = checks.evaluate(o6, {None: [old, link("ข่าวใหม่")]})
    assert len(result.failures) == 1 and "ข่าวเก่า" in result.failures[0].message
    assert "30 ก.ย. 2566" in result.failures[0].message


def test_whole_year_item_needs_some_evidence():
    plain = item()
    assert [f.message for f in checks.evaluate(plain, {None: []}).failures] == ["ยังไม่มีหลักฐาน"]
    assert checks.evaluate(plain, {None: [file("pdf")]}).passed


def test_english_messages_too():
    o7 = item({"type": "periods", "months": [11]}, {"type": "formats", "all_of": [["pdf"], ["docx"]]})
    with translation.override("en"):
        assert [f.message for f in checks.evaluate(o7, {NOV: [file("pdf")]}).failures] == ["Missing a Word file for Nov 2023."]


def test_a_rule_with_nothing_to_judge_is_not_yet_never_passed():
    """Immigration O6 with zero files showed ✓ for its formats and its four photos."""
    o6 = item({"type": "periods", "months": MONTHS}, {"type": "formats", "all_of": [["pdf"], ["docx"]]},
              {"type": "min_count", "kind": "photo", "count": 4}, {"type": "about_date", "from": "2023-10-01"})
    empty = checks.evaluate(o6, {})
    assert {r.rule["type"]: r.status for r in empty.rule_results} == {
        "periods": checks.FAILED, "formats": checks.NOT_YET, "min_count": checks.NOT_YET, "about_date": checks.NOT_YET}
    assert not empty.passed
    declared = checks.evaluate(o6, {OCT: [none()]})  # a "none" declaration is nothing to judge either
    assert {r.rule["type"]: r.status for r in declared.rule_results}["formats"] == checks.NOT_YET
    judged = checks.evaluate(o6, {OCT: [file("pdf"), file("docx")] + [file("image") for _ in range(4)]})
    statuses = {r.rule["type"]: r.status for r in judged.rule_results}
    assert statuses["formats"] == statuses["min_count"] == statuses["about_date"] == checks.PASSED


def test_a_period_status_is_its_own_failures():
    o7 = item({"type": "periods", "months": MONTHS}, {"type": "formats", "all_of": [["pdf"], ["docx"]]},
              {"type": "languages", "required": ["en"]})
    evidence = {OCT: [file("pdf"), file("docx")], NOV: [file("pdf")]}
    october, november = checks.period_status(o7, OCT, evidence), checks.period_status(o7, NOV, evidence)
    assert (october.passed, october.failures) == (True, [])
    assert not november.passed and [f.message for f in november.failures] == ["ขาดไฟล์ Word ของเดือน พ.ย. 2566"]
    # The item as a whole fails the year-wide rule, which is no month's failure.
    assert not checks.evaluate(o7, evidence).passed and october.passed


def test_an_evaluation_is_reused_only_for_the_same_rules_and_evidence():
    o7 = item({"type": "periods", "months": [10]}, {"type": "formats", "all_of": [["pdf"], ["docx"]]})
    pdf = file("pdf", pk=1)
    known = checks.evaluate(o7, {OCT: [pdf]})
    assert checks.evaluate_once(o7, {OCT: [pdf]}, known) is known
    assert checks.evaluate_once(o7, {OCT: [pdf, file("docx", pk=2)]}, known) is not known  # a piece added
    edited = file("pdf", pk=1, version=2)  # the same piece, edited since
    assert checks.evaluate_once(o7, {OCT: [edited]}, known) is not known
    stricter = item({"type": "periods", "months": [10]}, {"type": "formats", "all_of": [["docx"]]})
    assert checks.evaluate_once(stricter, {OCT: [pdf]}, known) is not known
