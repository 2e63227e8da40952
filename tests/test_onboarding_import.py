"""Onboarding from a spreadsheet: the dry run's report, apply all or nothing, idempotence,
every kind of bad row refused in Thai with nothing stored, the rights of the importer."""

import csv
import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.test_unit_management import _published, _unpublished
from units.models import ImportBatch, Invitation, Officer, Role, Unit
from units.onboarding import columns, jobs, reader
from units.onboarding.checking import Check

UNIT_HEADER = ["slug", "parent", "type", "name_th", "name_en", "short_name_th", "phone", "email", "website",
               "facebook", "latitude", "longitude", "head"]
OFFICER_HEADER = ["key", "unit", "rank", "first_name", "last_name", "position", "line_of_work", "phone", "email", "aliases"]
USER_HEADER = ["username", "unit", "role", "officer", "email"]


def csv_file(name, header, rows, bom=True):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return name, (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def new_station(units=None, officers=None, users=None):
    """A station new to the portal under บก.น.4, two officers, two logins."""
    return [
        csv_file("units.csv", UNIT_HEADER, units if units is not None else [
            ["sn-bangchan", "mpd-4", "police_station", "สถานีตำรวจนครบาลบางชัน", "Bang Chan MPS", "สน.บางชัน",
             "02 517 0000", "bangchan@police.go.th", "https://bangchan.metro.police.go.th",
             "https://www.facebook.com/bangchan", "13.8195", "100.6940", "bc-somchai"]]),
        csv_file("officers.csv", OFFICER_HEADER, officers if officers is not None else [
            ["bc-somchai", "sn-bangchan", "พ.ต.อ.", "สมชาย", "ใจซื่อ", "ผกก.สน.บางชัน", "", "", "somchai@police.go.th", ""],
            ["bc-malee", "sn-bangchan", "ว่าที่ ร.ต.อ.หญิง", "มาลี", "ดีงาม", "รอง สว.อก.", "อำนวยการ", "", "", "มาลี ดีงาม"]]),
        csv_file("users.csv", USER_HEADER, users if users is not None else [
            ["bc-admin", "sn-bangchan", "admin", "bc-malee", "malee@police.go.th"],
            ["bc-commander", "sn-bangchan", "หัวหน้าหน่วย", "bc-somchai", ""]]),
    ]


def counts():
    return (Unit.objects.count(), Officer.objects.count(), get_user_model().objects.count(), Role.objects.count(),
            Invitation.objects.count(), Unit.history.count(), Officer.history.count(), Role.history.count())


def test_new_station_is_created_then_a_second_import_changes_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check, applied = jobs.run(new_station(users=[
            ["bc-admin", "sn-bangchan", "admin", "bc-malee", "malee@police.go.th"],
            ["bc-commander", "sn-bangchan", "commander", "bc-somchai", ""]]), apply=True)
    assert not check.refused and applied["units"] == 1 and applied["officers"] == 2 and applied["roles"] == 2
    unit = Unit.objects.get(slug="sn-bangchan")
    assert unit.path == Unit.objects.get(slug="mpd-4").path + f"{unit.pk}/"
    assert unit.head.display_name == "พ.ต.อ.สมชาย ใจซื่อ" and str(unit.latitude) == "13.819500"
    assert unit.social_links == [{"label": "Facebook", "url": "https://www.facebook.com/bangchan"}]
    malee = Officer.objects.get(key="bc-malee")
    assert malee.display_name == "ว่าที่ ร.ต.อ.หญิง มาลี ดีงาม" and malee.line_of_work.code == "administration"
    admin = get_user_model().objects.get(username="bc-admin")
    assert not admin.has_usable_password() and admin.officer == malee  # no password is ever set by an import
    commander = get_user_model().objects.get(username="bc-commander")
    assert commander.email == "somchai@police.go.th"  # the officer's e-mail, for the invitation
    assert sorted(m.to[0] for m in mail.outbox) == ["malee@police.go.th", "somchai@police.go.th"]
    assert "bc-admin" in mail.outbox[0].body or "bc-admin" in mail.outbox[1].body

    before = counts()
    again, applied_again = jobs.run(new_station(), apply=True)
    assert {r.action for r in again.results} == {"unchanged"} and again.summary["unchanged"] == 5
    assert applied_again == {"units": 0, "officers": 0, "users": 0, "linked": 0, "roles": 0, "invitations": 0}
    assert counts() == before  # not even a history record


def test_the_sample_file_is_what_the_demo_holds(db):
    check = Check(jobs.System(), reader.read(_sample_xlsx())).run()
    assert check.summary["refuse"] == 0 and check.summary["create"] == 0 and check.summary["update"] == 0
    assert check.summary["rows"] == 7 + 19 + 12
    assert check.summary["warned"] == 0 and check.summary["warnings"] == []


def test_the_sample_notes_are_for_the_people_who_fill_it_in(db):
    """The note column speaks Thai to a clerk; the developers' transcription notes live in units/data/README.md."""
    import re

    from units.demo import sample_files

    notes = [v["note"] for t in reader.read(sample_files()).values() for _n, v in t.rows if v.get("note")]
    assert len(notes) >= 20
    for note in notes:
        assert re.search("[\u0e00-\u0e7f]", note), note
        assert not re.search(r"\b(seed|line|DOMAIN|OCR|the|of)\b", note), note


def _sample_xlsx():
    from units.demo import sample_files

    rows = {t.sheet.key: [v for _n, v in t.rows] for t in reader.read(sample_files()).values()}
    return [("sample.xlsx", columns.workbook(rows))]


def test_csv_with_and_without_bom_and_xlsx_read_the_same(db):
    def filled(tables):  # a workbook has every column, a CSV only its own: compare what is written
        return {k: [{c: x for c, x in v.items() if x} for _n, v in t.rows] for k, t in tables.items()}

    with_bom = reader.read(new_station())
    without = reader.read([(n, d.removeprefix("\ufeff".encode())) for n, d in new_station()])
    rows = filled(with_bom)
    assert rows == filled(without)
    book = reader.read([("national.xlsx", columns.workbook(rows))])
    assert filled(book) == rows
    assert rows["officers"][1]["rank"] == "ว่าที่ ร.ต.อ.หญิง"


def test_the_template_explains_every_column_in_thai(db):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(columns.workbook()))
    assert book.sheetnames == ["วิธีกรอก", "หน่วยงาน", "เจ้าหน้าที่", "ผู้ใช้"]
    guide = [[c for c in row] for row in book["วิธีกรอก"].iter_rows(values_only=True)]
    explained = {row[1] for row in guide if row[1]}
    for sheet in columns.SHEETS:
        for column in sheet.columns:
            assert columns.header(column) in explained
    text = " ".join(str(c) for row in guide for c in row if c)
    assert "ว่าที่" in text and "สืบสวนปราบปราม" in text and "police_station" in text
    assert [c.value for c in book["หน่วยงาน"][1]][:2] == ["รหัสหน่วย (slug)", "หน่วยต้นสังกัด (parent)"]


BAD_ROWS = {
    "unknown parent": (dict(units=[["sn-x", "mpd-99", "police_station", "สน.เอ็กซ์", "", "", "", "", "", "", "", "", ""]],
                            officers=[], users=[]), "แถว 2, คอลัมน์ “หน่วยต้นสังกัด”"),
    "duplicate slug": (dict(units=[["sn-x", "mpd-4", "police_station", "สน.เอ็กซ์"] + [""] * 9,
                                   ["sn-x", "mpd-4", "police_station", "สน.วาย"] + [""] * 9], officers=[], users=[]),
                       "แถว 3, คอลัมน์ “รหัสหน่วย”"),
    "bad e-mail": (dict(units=[["sn-x", "mpd-4", "police_station", "สน.เอ็กซ์", "", "", "", "ไม่ใช่อีเมล"] + [""] * 5],
                        officers=[], users=[]), "แถว 2, คอลัมน์ “อีเมล”"),
    "unknown rank": (dict(officers=[["bc-x", "sn-buengkum", "พล.ต.ต.", "เอ็กซ์", "", "", "", "", "", ""]], units=[], users=[]),
                     "แถว 2, คอลัมน์ “ยศ”"),
    "unknown line of work": (dict(officers=[["bc-x", "sn-buengkum", "ด.ต.", "เอ็กซ์", "", "", "บริการคนต่างด้าว", "", "", ""]],
                                  units=[], users=[]), "แถว 2, คอลัมน์ “สายงาน”"),
    "a role the importer may not grant": (dict(units=[], officers=[], users=[
        ["x-one", "imm-buengkan", "viewer", "", "x1@police.go.th"]]), "แถว 2, คอลัมน์ “บทบาท”"),
    "a station's admin making a supervisor": (dict(units=[], officers=[], users=[
        ["x-two", "sn-buengkum", "supervisor", "", "x2@police.go.th"]]), "แถว 2, คอลัมน์ “บทบาท”"),
    "bad coordinates": (dict(units=[["sn-x", "mpd-4", "police_station", "สน.เอ็กซ์"] + [""] * 6 + ["๑๓.๘", "200", ""]],
                             officers=[], users=[]), "แถว 2, คอลัมน์ “ลองจิจูด”"),
    "unit type under the wrong parent": (dict(units=[["div-x", "mpd-4", "division", "บก.เอ็กซ์"] + [""] * 9], officers=[], users=[]),
                                         "แถว 2, คอลัมน์ “หน่วยต้นสังกัด”"),
    "an officer who already has a login": (dict(units=[], officers=[], users=[
        ["other-login", "sn-buengkum", "viewer", "bk-chatchai", "o@police.go.th"]]), "แถว 2, คอลัมน์ “รหัสเจ้าหน้าที่”"),
}


@pytest.mark.parametrize("kind", BAD_ROWS)
def test_each_kind_of_bad_row_is_refused_in_thai_with_nothing_stored(db, users, division_admin, kind):
    tables, where = BAD_ROWS[kind]
    before = counts()
    importer = users["admin"] if "station's admin" in kind else division_admin
    check, applied = jobs.run(new_station(**tables), user=importer, apply=True)
    assert applied is None and check.refused and counts() == before
    messages = [e for r in check.results for e in r.errors]
    assert any(m.startswith(where) for m in messages), messages


def test_rows_that_depend_on_a_refused_row_are_refused_with_the_reason(db):
    """A new unit refused for its coordinates: its officers and logins are not "new", they are refused
    and say why; a unit under it and a login of a refused new officer likewise."""
    division = ["mpd-99", "mpb", "division", "บก.น.99"] + [""] * 6 + ["13.8", "500", ""]
    station = ["sn-bangchan", "mpd-99", "police_station", "สน.บางชัน"] + [""] * 9
    officers = [["bc-somchai", "sn-bangchan", "พ.ต.อ.", "สมชาย", "", "", "", "", "somchai@police.go.th", ""],
                ["bc-lek", "sn-buengkum", "ยศแปลก", "เล็ก", "", "", "", "", "lek@police.go.th", ""]]
    users = [["bc-admin", "sn-bangchan", "admin", "", "a@police.go.th"],
             ["bk-lek", "sn-buengkum", "viewer", "bc-lek", ""]]
    check, applied = jobs.run(new_station(units=[division, station], officers=officers, users=users), apply=True)
    assert applied is None
    by_key = {r.key: r for r in check.results}
    assert {r.action for r in check.results} == {"refuse"}  # nothing listed as new
    assert by_key["mpd-99"].errors == ["แถว 2, คอลัมน์ “ลองจิจูด”: ต้องอยู่ระหว่าง -180 ถึง 180"]
    assert by_key["sn-bangchan"].errors == [
        "แถว 3, คอลัมน์ “หน่วยต้นสังกัด”: “mpd-99” จะไม่ถูกสร้าง เพราะแถว 2 ในแผ่นงาน “หน่วยงาน” ถูกปฏิเสธ"]
    because_of_unit = "“sn-bangchan” จะไม่ถูกสร้าง เพราะแถว 3 ในแผ่นงาน “หน่วยงาน” ถูกปฏิเสธ"
    assert by_key["bc-somchai"].errors == [f"แถว 2, คอลัมน์ “รหัสหน่วย”: {because_of_unit}"]
    assert by_key["bc-admin"].errors == [f"แถว 2, คอลัมน์ “รหัสหน่วย”: {because_of_unit}"]
    assert by_key["bk-lek"].errors == [
        "แถว 3, คอลัมน์ “รหัสเจ้าหน้าที่”: “bc-lek” จะไม่ถูกสร้าง เพราะแถว 3 ในแผ่นงาน “เจ้าหน้าที่” ถูกปฏิเสธ"]
    # A unit row refused for its code: rows naming that code say so, not "no such unit".
    check, _applied = jobs.run(new_station(units=[["SN-Bangchan", "mpd-4", "police_station", "สน.บางชัน"] + [""] * 9],
                                           officers=[officers[0][:1] + ["SN-Bangchan"] + officers[0][2:]], users=[]))
    [officer] = [r for r in check.results if r.sheet == "officers"]
    assert officer.errors == ["แถว 2, คอลัมน์ “รหัสหน่วย”: “SN-Bangchan” จะไม่ถูกสร้าง เพราะแถว 2 ในแผ่นงาน “หน่วยงาน” ถูกปฏิเสธ"]


def test_every_error_of_a_row_is_shown_at_once(db):
    units = [["SN Bangchan", "mpd-4", "police_station", "สน.บางชัน", "", "", "", "ผิด@", "", "", "๑๐๐", "13.8", ""]]
    officers = [["bc somchai", "sn-buengkum", "ยศแปลก", "สมชาย", "", "", "", "", "ผิด@", ""]]
    users = [["bad user!", "nowhere", "นายพล", "", "ผิด@"]]
    check, _applied = jobs.run(new_station(units=units, officers=officers, users=users))
    columns_of = {r.sheet: [e.split("”")[0].split("“")[1] for e in r.errors] for r in check.results}
    assert columns_of["units"] == ["รหัสหน่วย", "อีเมล", "ละติจูด"]  # the code does not hide the coordinates
    assert columns_of["officers"] == ["รหัสเจ้าหน้าที่", "ยศ", "อีเมล"]
    assert columns_of["users"] == ["ชื่อผู้ใช้", "บทบาท", "รหัสหน่วย"]
    assert all(r.action == "refuse" for r in check.results)


def test_roles_that_make_no_sense_for_the_unit_type(db, national_admin):
    users = [["x-sup", "sn-buengkum", "supervisor", "", "x1@police.go.th"],
             ["x-com", "mpd-4", "commander", "", "x2@police.go.th"],
             ["x-div", "mpd-4", "supervisor", "", "x3@police.go.th"]]
    check, _applied = jobs.run(new_station(units=[], officers=[], users=users), user=national_admin)
    by_key = {r.key: r for r in check.results}
    assert by_key["x-sup"].action == "refuse"
    assert by_key["x-sup"].errors[0].startswith("แถว 2, คอลัมน์ “บทบาท”: สถานีตำรวจ ไม่มีหน่วยในสังกัดให้กำกับดูแล")
    assert by_key["x-com"].action == "create" and by_key["x-com"].warnings[0].startswith(
        "แถว 3, คอลัมน์ “บทบาท”: ") and "ไม่มีข้อ OIT ที่ต้องเผยแพร่เอง" in by_key["x-com"].warnings[0]
    assert by_key["x-div"].action == "create" and by_key["x-div"].warnings == []
    assert check.summary["warned"] == 1


def test_thai_text_is_tidied_with_a_warning_naming_the_cell(db):
    name = "สถานีตำรวจนครบาล\u200bบาง\u00a0ชัน  ใหม่"
    units = [["sn-bangchan", "mpd-4", "police_station", name, "Bang  Chan", "สน.บางชัน\ufeff"] + [""] * 7]
    check, applied = jobs.run(new_station(units=units, officers=[], users=[]), apply=True)
    assert applied is not None
    unit = Unit.objects.get(slug="sn-bangchan")
    assert (unit.name_th, unit.name_en, unit.short_name_th) == ("สถานีตำรวจนครบาลบาง ชัน ใหม่", "Bang Chan", "สน.บางชัน")
    warnings = check.results[0].warnings
    assert warnings[0] == ("แถว 2, คอลัมน์ “ชื่อหน่วย (ภาษาไทย)”: ลบอักขระที่มองไม่เห็นหรือช่องว่างซ้ำออกแล้ว "
                           "ข้อความที่จะนำเข้าคือ “สถานีตำรวจนครบาลบาง ชัน ใหม่”")
    assert [w.split("”")[0] for w in warnings] == ["แถว 2, คอลัมน์ “ชื่อหน่วย (ภาษาไทย)", "แถว 2, คอลัมน์ “ชื่อหน่วย (ภาษาอังกฤษ)",
                                                  "แถว 2, คอลัมน์ “ชื่อย่อ (ภาษาไทย)"]


def test_extra_sheets_are_named_in_a_warning(db, client, national_admin, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_sample_xlsx()[0][1]))
    book.create_sheet("Sheet1").append(["ข้อมูลอื่น"])
    buffer = io.BytesIO()
    book.save(buffer)
    tables = reader.read([("national.xlsx", buffer.getvalue())])
    assert tables.warnings == ["ไฟล์ national.xlsx: แผ่นงาน “Sheet1” ไม่ใช่แผ่นงาน “หน่วยงาน”, “เจ้าหน้าที่”, “ผู้ใช้” "
                               "จึงไม่ได้อ่านข้อมูลในแผ่นงานนี้"]  # the guide sheet is not named
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, [("national.xlsx", buffer.getvalue())])
    page = client.get(response["Location"]).content.decode()
    assert "แผ่นงาน “Sheet1”" in page and "data-file-warnings" in page


def test_messages_read_right(db):
    check, _applied = jobs.run(new_station(units=[["sn-x", "mpd-4", "police_station", "สน.เอ็กซ์"] + [""] * 6 + ["abc", "", ""]],
                                           officers=[], users=[]))
    [message] = check.results[0].errors
    assert message == "แถว 2, คอลัมน์ “ละติจูด”: “abc” ไม่ใช่ค่าองศาที่เป็นตัวเลข เช่น 13.7563"


def test_a_refused_row_keeps_the_good_rows_out_too(db, django_capture_on_commit_callbacks):
    before = counts()
    files = new_station(officers=[
        ["bc-somchai", "sn-bangchan", "พ.ต.อ.", "สมชาย", "ใจซื่อ", "", "", "", "somchai@police.go.th", ""],
        ["bc-malee", "sn-bangchan", "ร.ต.อ.", "มาลี", "ดีงาม", "", "", "", "ผิด@", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        check, applied = jobs.run(files, apply=True)
    assert applied is None and check.summary["create"] >= 3
    assert check.summary["refuse"] == 2  # bc-malee's row, and bc-admin's login that belongs to her
    assert counts() == before and mail.outbox == []


def test_an_empty_cell_keeps_what_the_unit_typed(db, station):
    Unit.objects.filter(pk=station.pk).update(phone="02 000 1111")
    rows = [["sn-buengkum", "mpd-4", "police_station", "สถานีตำรวจนครบาลบึงกุ่ม"] + [""] * 9]
    check, _applied = jobs.run(new_station(units=rows, officers=[], users=[]), apply=True)
    assert check.results[0].action == "unchanged"
    assert Unit.objects.get(pk=station.pk).phone == "02 000 1111"


def test_changes_are_kept_in_the_history_with_the_importer(db, division_admin):
    rows = [["sn-buengkum", "", "police_station", "", "", "", "02 999 9999"] + [""] * 6]
    check, _applied = jobs.run(new_station(units=rows, officers=[], users=[]), user=division_admin, apply=True)
    assert check.results[0].changes == ["โทรศัพท์"]
    record = Unit.history.filter(slug="sn-buengkum").latest("history_date")
    assert record.phone == "02 999 9999" and record.history_user == division_admin


def test_a_supervising_admin_may_not_change_a_unit_outside_their_tree(db, division_admin):
    rows = [["imm-buengkan", "", "immigration_unit", "", "", "", "099"] + [""] * 6]
    check, applied = jobs.run(new_station(units=rows, officers=[], users=[]), user=division_admin, apply=True)
    assert applied is None and "คุณไม่มีสิทธิ์แก้ไขหน่วย imm-buengkan" in check.results[0].errors[0]


def test_the_users_sheet_may_not_link_a_login_to_another_units_officer(db, division_admin, national_admin):
    rows = [["mole", "sn-buengkum", "viewer", "bg-chutikorn", "mole@police.go.th"]]
    check, applied = jobs.run(new_station(units=[], officers=[], users=rows), user=division_admin, apply=True)
    assert applied is None and not Officer.objects.get(key="bg-chutikorn").user_id
    assert any("คุณไม่มีสิทธิ์แก้ไขเจ้าหน้าที่ของหน่วย imm-buengkan" in e for r in check.results for e in r.errors)
    check, _applied = jobs.run(new_station(units=[], officers=[], users=rows), user=national_admin)
    assert not check.refused


def test_file_problems_are_named(db):
    with pytest.raises(reader.FileProblem, match="UTF-8"):
        reader.read([("units.csv", "slug,type\n".encode("cp874") + "ทดสอบ".encode("cp874"))])
    with pytest.raises(reader.FileProblem, match="xlsx"):
        reader.read([("units.xlsx", b"not a workbook")])
    with pytest.raises(reader.FileProblem, match="ชื่อ"):
        reader.read([csv_file("units.csv", ["slug", "type"], [["a", "b"]])])


@pytest.mark.parametrize("state, job", [(ImportBatch.CHECKING, jobs.check), (ImportBatch.APPLYING, jobs.apply)])
def test_an_import_stopped_by_a_bug_fails_instead_of_staying_busy(db, users, monkeypatch, caplog, state, job):
    batch = ImportBatch.objects.create(uploaded_by=users["admin"], files=[], state=state)

    def bug(files):
        raise KeyError("sheet")

    monkeypatch.setattr(reader, "read", bug)
    with caplog.at_level(logging.ERROR, logger="units.onboarding.jobs"):
        assert job(batch.pk) == ImportBatch.FAILED
    batch.refresh_from_db()
    assert not batch.busy and batch.error.startswith("ระบบบันทึกข้อผิดพลาดไว้แล้ว")
    assert any(record.exc_info for record in caplog.records)


def test_imported_unit_details_reach_the_public_pages(db, station, division_admin, django_capture_on_commit_callbacks):
    _unpublished(station)
    rows = [["sn-buengkum", "", "police_station", "", "", "", "02 999 9999"] + [""] * 6]
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run(new_station(units=rows, officers=[], users=[]), user=division_admin, apply=True)
    assert _published(station)


# -- the page ---------------------------------------------------------------------------------

def upload(client, files, invite="on"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("import-start"), {"files": [SimpleUploadedFile(n, d) for n, d in files], "invite": invite})


def test_page_dry_run_then_apply(client, national_admin, django_capture_on_commit_callbacks, settings):
    settings.DEBUG = False  # onboarding is for production: nothing of it depends on DEBUG
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, new_station())
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("import-batch", args=[batch.pk]) and batch.state == "checked"
    page = client.get(response["Location"]).content.decode()
    assert "ใหม่" in page and "sn-bangchan" in page and "นำเข้าตามนี้" in page
    assert not Unit.objects.filter(slug="sn-bangchan").exists()  # a dry run stores nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import-apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == "applied" and Unit.objects.filter(slug="sn-bangchan").exists() and len(mail.outbox) == 2
    assert client.post(reverse("import-apply", args=[batch.pk])).status_code == 302  # a second apply does nothing
    assert Unit.objects.filter(slug="sn-bangchan").count() == 1


def test_page_shows_refused_rows_and_offers_no_apply(client, national_admin, django_capture_on_commit_callbacks):
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, new_station(units=[["sn-x", "nowhere", "police_station", "สน.เอ็กซ์"] + [""] * 9]))
    page = client.get(response["Location"]).content.decode()
    assert "แถว 2, คอลัมน์ “หน่วยต้นสังกัด”" in page and "นำเข้าตามนี้" not in page


@pytest.mark.parametrize("who", ["admin", "responsible", "commander", "hq-supervisor", "other-admin"])
def test_import_is_for_national_and_supervising_admins_only(client, users, who):
    client.force_login(users[who])
    for name in ("import-start", "import-template", "import-sample"):
        assert client.get(reverse(name)).status_code == 403


def test_import_pages_send_anonymous_to_login(client):
    for url in (reverse("import-start"), reverse("import-template"), reverse("import-batch", args=[1])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_a_batch_is_only_for_whoever_uploaded_it(client, national_admin, division_admin, django_capture_on_commit_callbacks):
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, new_station())
    batch = ImportBatch.objects.get()
    client.force_login(division_admin)
    assert client.get(reverse("import-batch", args=[batch.pk])).status_code == 403
    assert client.post(reverse("import-apply", args=[batch.pk])).status_code == 403


def test_downloads(client, division_admin):
    client.force_login(division_admin)
    sample = client.get(reverse("import-sample"))
    assert sample["Content-Type"].startswith("application/vnd.openxmlformats")
    tables = reader.read([("s.xlsx", sample.content)])
    assert [v["slug"] for _n, v in tables["units"].rows][:2] == ["rtp", "mpb"]


def test_command_dry_run_and_apply(db, tmp_path, capsys):
    paths = []
    for name, data in new_station():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    call_command("import_units", *paths)
    assert "dry run" in capsys.readouterr().out and not Unit.objects.filter(slug="sn-bangchan").exists()
    call_command("import_units", *paths, "--apply", "--no-invitations")
    (tmp_path / "spaced.csv").write_bytes(csv_file("spaced.csv", UNIT_HEADER, [
        ["sn-bangchan", "", "police_station", "", "", "สน.บาง\u200bชัน"] + [""] * 7])[1])
    call_command("import_units", str(tmp_path / "spaced.csv"))
    assert "⚠ แถว 2, คอลัมน์ “ชื่อย่อ (ภาษาไทย)”" in capsys.readouterr().out
    assert Unit.objects.filter(slug="sn-bangchan").exists() and not Invitation.objects.exists()
    (tmp_path / "bad.csv").write_bytes(csv_file("bad.csv", USER_HEADER, [["bad user!", "rtp", "admin", "", "a@b.go.th"]])[1])
    with pytest.raises(CommandError, match="refused"):
        call_command("import_units", str(tmp_path / "bad.csv"), "--apply")


def test_a_sample_saved_again_by_libreoffice_imports_the_same(db, tmp_path):
    """What a clerk does: open the downloaded file in LibreOffice Calc, save it, upload it."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "in").mkdir()
    source = tmp_path / "in" / "sample.xlsx"
    source.write_bytes(_sample_xlsx()[0][1])
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True, timeout=180)
    saved = (tmp_path / "out" / "sample.xlsx").read_bytes()
    original = reader.read(_sample_xlsx())
    again = reader.read([("sample.xlsx", saved)])
    assert {k: [v for _n, v in t.rows] for k, t in again.items()} == {k: [v for _n, v in t.rows] for k, t in original.items()}
    assert Check(jobs.System(), again).run().summary["refuse"] == 0
