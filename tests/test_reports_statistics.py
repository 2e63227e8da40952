"""Statistics (O11 police / O10 immigration): categories from the data files, counts entered per
month, PDF and Excel with totals that add up."""

import pytest

from oit_items.evidence.models import Evidence
from reports import statistics
from reports.models import RenderJob, StatisticsReport
from tests.test_reports_support import OCT, ask_for, edit_url, in_pdf, pdf_text, stored, workbook

COUNTS = {"crimes.group1.received": 2, "crimes.group1.solved": 2, "crimes.group1.arrests": 3,
          "crimes.group3.received": 14, "crimes.group3.solved": 9, "crimes.group3.arrests": 11,
          "crimes.group5.received": 120, "crimes.group5.solved": 120, "crimes.group5.arrests": 1234,
          "checkpoints.checkpoint.set_up": 31, "checkpoints.checkpoint.arrests": 7,
          "checkpoints.interception.set_up": 12}


def post_counts(client, counts, slug="sn-buengkum", note=""):
    data = {"note": note, **{"n__" + key.replace(".", "__"): str(value) for key, value in counts.items()}}
    return client.post(edit_url("statistics", "m10", slug), data)


def test_categories_are_data_per_unit_type():
    police = statistics.tables_for("police_station")
    assert [t.key for t in police] == ["crimes", "checkpoints"]
    assert [r.th for r in police[0].rows][2] == "กลุ่มที่ ๓ คดีประทุษร้ายต่อทรัพย์"
    assert [t.key for t in statistics.tables_for("immigration_unit")] == ["services", "inspections"]
    assert statistics.tables_for("division") == ()


def test_a_broken_categories_file_is_refused():
    with pytest.raises(statistics.CategoriesError):
        statistics.parse({"tables": [{"key": "a", "title_th": "ก", "columns": [{"key": "x", "th": "x"}],
                                      "rows": [{"key": "r", "th": "r"}, {"key": "r", "th": "ซ้ำ"}]}]})


def test_counts_are_stored_by_category_key(client, users, station):
    client.force_login(users["responsible"])
    assert post_counts(client, COUNTS, note="ข้อมูลจากระบบ CRIMES").status_code == 302
    report = StatisticsReport.objects.get(unit=station, month=OCT)
    assert report.count("crimes", "group5", "arrests") == 1234 and report.count("crimes", "group2", "solved") == 0
    assert report.note == "ข้อมูลจากระบบ CRIMES"


def test_negative_counts_are_refused(client, users):
    client.force_login(users["responsible"])
    assert post_counts(client, {"crimes.group1.received": -1}).status_code == 400
    assert not StatisticsReport.objects.exists()


def test_police_statistics_become_o11_pdf_and_excel_with_totals(client, users, station, django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    post_counts(client, COUNTS)
    ask_for(client, "statistics", "m10", django_capture_on_commit_callbacks)
    assert RenderJob.objects.get().state == RenderJob.DONE
    files = {e.format: stored(e) for e in Evidence.objects.current().filter(item_period__item__code="O11")}
    assert set(files) == {"pdf", "xlsx"}

    text = pdf_text(files["pdf"])
    for value in ("กลุ่มที่ ๑ คดีอุกฉกรรจ์และสะเทือนขวัญ", "กลุ่มที่ ๕ คดีที่รัฐเป็นผู้เสียหาย", "1,234", "1,248", "จุดสกัด"):
        assert in_pdf(value, text), value

    book = workbook(files["xlsx"])
    assert len(book.worksheets) == 2  # a sheet per table
    crimes = [row for row in book.worksheets[0].iter_rows(values_only=True)]
    data = [r for r in crimes if r[0] and str(r[0]).startswith("กลุ่มที่")]
    total = crimes[crimes.index(data[-1]) + 1]
    assert [r[3] for r in data] == [3, 0, 11, 0, 1234]
    assert total[1:] == (136, 131, 1248) == tuple(sum(r[i] for r in data) for i in (1, 2, 3))
    assert all(isinstance(v, int) for r in data for v in r[1:])


def test_immigration_statistics_use_their_own_categories(client, users, django_capture_on_commit_callbacks):
    client.force_login(users["other-admin"])  # bg-responsible does not prepare O10; the admin may
    counts = {"services.tm30.count": 412, "services.extension.count": 57, "inspections.foreign.arrivals": 3120}
    assert post_counts(client, counts, slug="imm-buengkan").status_code == 302
    ask_for(client, "statistics", "m10", django_capture_on_commit_callbacks, slug="imm-buengkan")
    files = {e.format: stored(e) for e in Evidence.objects.current().filter(item_period__unit__slug="imm-buengkan")}
    text = pdf_text(files["pdf"])
    for value in ("การแจ้งที่พักอาศัยของคนต่างด้าว (ตม.30)", "412", "3,120", "ตรวจคนเข้าเมือง"):
        assert in_pdf(value, text), value
