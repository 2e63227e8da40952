"""No lost edits, one step at a time: a form opened at an older version is refused with a Thai
message saying what changed, the typed input kept; the same file twice in a period is asked about.
(The same cases with two real connections at once: tests/test_concurrency.py.)"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita_portal.lib import stored
from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import AuditEvent, Evidence, Revision
from tests.conftest import approve_period, make_pdf
from tests.test_evidence_views import stored_files

OCT = datetime.date(2023, 10, 1)


@pytest.fixture
def piece(client, users, upload_files):
    upload_files(client, users["responsible"], [("รายงาน ต.ค.pdf", make_pdf())], title="รายงาน ต.ค.", description="ฉบับแรก")
    return Evidence.objects.get()


def edit_data(piece, version, **changes):
    data = {"title": piece.title, "description": piece.description, "about_date": "1/10/2566", "language": "th",
            "version": version}
    data.update(changes)
    return data


def test_two_editors_of_different_fields_lose_nothing(client, users, piece):
    url = reverse("evidence-edit", args=[piece.pk])
    opened = piece.version
    client.force_login(users["admin"])
    assert client.post(url, edit_data(piece, opened, title="รายงานผลการปฏิบัติราชการ ต.ค. 2566")).status_code == 302
    client.force_login(users["responsible"])  # opened the form at the same version, changed the description
    response = client.post(url, edit_data(piece, opened, description="ฉบับแก้ไขตัวเลข"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "มีการเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้" in body and "ชื่อเรื่อง" in body  # who changed what
    form = response.context["form"]
    # The other's title is taken in (this user had not touched it); this user's description is kept.
    assert form["title"].value() == "รายงานผลการปฏิบัติราชการ ต.ค. 2566"
    assert form["description"].value() == "ฉบับแก้ไขตัวเลข"
    assert Evidence.objects.get().description == "ฉบับแรก"  # nothing saved yet
    client.post(url, {k: form[k].value() for k in ("title", "description", "about_date", "language", "version")})
    saved = Evidence.objects.get()
    assert (saved.title, saved.description) == ("รายงานผลการปฏิบัติราชการ ต.ค. 2566", "ฉบับแก้ไขตัวเลข")


def test_both_changing_one_field_keep_the_second_input_and_say_what_the_first_wrote(client, users, piece):
    url = reverse("evidence-edit", args=[piece.pk])
    client.force_login(users["admin"])
    client.post(url, edit_data(piece, 1, title="ชื่อของผู้ดูแล"))
    client.force_login(users["responsible"])
    response = client.post(url, edit_data(piece, 1, title="ชื่อของผู้รับผิดชอบ"))
    assert response.status_code == 409
    assert response.context["form"]["title"].value() == "ชื่อของผู้รับผิดชอบ"
    assert "ชื่อของผู้ดูแล" in str(response.context["form"].errors["title"])


def test_an_edit_after_a_removal_does_not_bring_it_back(client, users, piece):
    client.force_login(users["admin"])
    client.post(reverse("evidence-remove", args=[piece.pk]), {"reason": "ซ้ำ", "version": 1})
    client.force_login(users["responsible"])
    response = client.post(reverse("evidence-edit", args=[piece.pk]), edit_data(piece, 1, title="ชื่อใหม่"))
    assert response.status_code == 409 and "นำออกแล้ว" in response.content.decode()
    assert response.context["form"]["title"].value() == "ชื่อใหม่"  # what was typed, to copy
    removed = Evidence.objects.get()
    assert removed.removed_at is not None and removed.title == "รายงาน ต.ค."
    assert list(AuditEvent.objects.filter(evidence=removed).values_list("action", flat=True).order_by("pk")) == ["upload", "remove"]


def test_removing_what_changed_since_asks_again(client, users, piece):
    client.force_login(users["admin"])
    client.post(reverse("evidence-edit", args=[piece.pk]), edit_data(piece, 1, title="ชื่อใหม่"))
    client.force_login(users["responsible"])
    response = client.post(reverse("evidence-remove", args=[piece.pk]), {"reason": "ไม่ใช้แล้ว", "version": 1})
    assert response.status_code == 409
    assert response.context["form"]["reason"].value() == "ไม่ใช้แล้ว"
    assert Evidence.objects.get().removed_at is None
    response = client.post(reverse("evidence-remove", args=[piece.pk]), {"reason": "ไม่ใช้แล้ว", "version": 2})
    assert response.status_code == 302 and Evidence.objects.get().removed_at is not None


def test_a_replacement_from_an_older_version_stores_no_file(client, users, piece, media_root):
    url = reverse("evidence-replace", args=[piece.pk])
    client.force_login(users["admin"])
    assert client.post(url, {"file": SimpleUploadedFile("ฉบับ 2.pdf", make_pdf()), "version": 1}).status_code == 302
    files_before = stored_files(media_root)
    client.force_login(users["responsible"])
    response = client.post(url, {"file": SimpleUploadedFile("ฉบับ 3.pdf", make_pdf()), "version": 1})
    assert response.status_code == 409 and "ฉบับ 2.pdf" in response.content.decode()
    assert stored_files(media_root) == files_before
    assert Evidence.objects.get().current_revision.original_name == "ฉบับ 2.pdf"


def test_an_edit_never_puts_back_an_older_file(users, piece):
    """The old bug: edit saved every field of a stale object, current file included."""
    stale = Evidence.objects.get(pk=piece.pk)
    evidence_service.replace_file(piece, validate_upload(SimpleUploadedFile("ใหม่.pdf", make_pdf())), users["admin"])
    evidence_service.edit(stale, {"title": "ชื่อใหม่"}, users["responsible"])  # internal callers: no version
    assert Evidence.objects.get().current_revision.original_name == "ใหม่.pdf"


def test_the_same_file_again_is_asked_about(client, users, upload_files, media_root):
    pdf = make_pdf(marker="same")
    upload_files(client, users["responsible"], [("รายงาน.pdf", pdf)])
    files_before = stored_files(media_root)
    response = upload_files(client, users["responsible"], [("รายงาน สำเนา.pdf", pdf)])
    assert response.status_code == 409
    body = response.content.decode()
    assert "เป็นไฟล์เดียวกับ" in body and 'name="allow_duplicate"' in body
    assert 'class="alert alert-danger error-summary"' in body and 'href="#id_m10_up_files"' in body
    assert Evidence.objects.count() == 1 and stored_files(media_root) == files_before
    # From the page's script: a JSON answer the progress bar offers to send again.
    response = client.post("/staff/units/sn-buengkum/ita/2567/o7/m10/upload/",
                           {"about_date": "31/10/2566", "language": "th", "files": [SimpleUploadedFile("ก.pdf", pdf)]},
                           HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 409 and response.json()["duplicate"] is True
    # Confirmed: a second row, on purpose.
    assert upload_files(client, users["responsible"], [("รายงาน สำเนา.pdf", pdf)], allow_duplicate="1").status_code == 302
    assert Evidence.objects.count() == 2
    # The same file in another month is no duplicate.
    assert upload_files(client, users["responsible"], [("รายงาน.pdf", pdf)], period="m11").status_code == 302


def test_twice_the_same_file_in_one_upload_is_asked_about(client, users, upload_files):
    pdf = make_pdf(marker="twice")
    response = upload_files(client, users["responsible"], [("ก.pdf", pdf), ("ข.pdf", pdf)])
    assert response.status_code == 409 and not Evidence.objects.exists()


def test_a_file_written_for_a_rolled_back_transaction_is_deleted(committed_demo, media_root):
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from oit_items.evidence.permissions import period_of
    from oit_items.rulebook.models import Item
    from units.models import Unit

    station = Unit.objects.get(slug="sn-buengkum")
    period = period_of(station, Item.objects.for_unit(station, 2567).get(code="O7"), OCT)
    user = get_user_model().objects.get(username="bk-responsible")
    validated = validate_upload(SimpleUploadedFile("ก.pdf", make_pdf()))
    with pytest.raises(RuntimeError):
        with stored.atomic():
            evidence_service.add_files(period, [validated], {"about_date": OCT}, user)
            assert len(stored_files(media_root)) == 2  # the file and its page-1 thumbnail written…
            raise RuntimeError("the rest of the request fails")
    assert stored_files(media_root) == [] and not Revision.objects.exists()  # …and gone with the rollback
    # Inside a transaction that is not ours, rolled back: found at the next change.
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            evidence_service.add_files(period, [validated], {"about_date": OCT}, user)
            raise RuntimeError("a caller's transaction fails")
    assert len(stored_files(media_root)) == 2 and not Revision.objects.exists()
    evidence_service.add_files(period, [validate_upload(SimpleUploadedFile("ข.pdf", make_pdf()))], {"about_date": OCT}, user)
    kept = Revision.objects.get()
    assert sorted(p.name for p in stored_files(media_root)) == sorted(f.name.rsplit("/", 1)[1] for f in (kept.file, kept.thumbnail))


def test_an_approved_files_details_warn_before_returning_the_month_to_draft(client, users, station, o7):
    period = approve_period(users, station, o7, OCT, [("ก.pdf", make_pdf())])
    piece = Evidence.objects.get(item_period=period)
    client.force_login(users["responsible"])
    for view in ("evidence-edit", "evidence-replace", "evidence-remove"):
        body = client.get(reverse(view, args=[piece.pk])).content.decode()
        assert "data-returns-to-draft" in body and "กลับเป็นฉบับร่าง" in body, view


def test_report_data_saved_meanwhile_is_not_overwritten_unseen(client, users):
    from reports.models import BudgetLine, OperationsReport
    from tests.test_reports_support import edit_url, formset

    def operations(summary, token):
        return {"summary": summary, "_version": token, **formset("activities", []), **formset("photos", [])}

    client.force_login(users["admin"])
    assert client.post(edit_url("operations", "m10"), operations("สรุปฉบับผู้ดูแล", "0")).status_code == 302
    client.force_login(users["responsible"])  # had the page open since before: version 0
    response = client.post(edit_url("operations", "m10"), operations("สรุปฉบับผู้รับผิดชอบ", "0"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "bk-admin บันทึกข้อมูลของเดือนนี้" in body and "สรุปฉบับผู้ดูแล" in body  # who, and what is saved now
    assert 'name="summary"' in body and "สรุปฉบับผู้รับผิดชอบ</textarea>" in body  # the typed input kept
    assert 'name="_version" value="1"' in body
    assert OperationsReport.objects.get().summary == "สรุปฉบับผู้ดูแล"
    assert client.post(edit_url("operations", "m10"), operations("สรุปฉบับผู้รับผิดชอบ", "1")).status_code == 302
    assert OperationsReport.objects.get().summary == "สรุปฉบับผู้รับผิดชอบ"
    # The budget page edits the year's plan lines from every month: both rows guard it.
    line = {"source": "operating", "description": "ค่าวัสดุ", "planned": "1,000.00", "spent": ""}
    budget = lambda month, token, rows: {"problems": "", "suggestions": "", "_version": token,  # noqa: E731
                                         **formset("lines", rows, initial=sum(1 for r in rows if "id" in r))}
    assert client.post(edit_url("budget", "m10"), budget("m10", "0.0", [line])).status_code == 302
    saved = BudgetLine.objects.get()
    client.force_login(users["admin"])
    november = client.get(edit_url("budget", "m11")).context["editor"].version_token
    assert november == "1.0"
    client.post(edit_url("budget", "m10"), budget("m10", "1.1", [{"id": saved.pk, **line, "planned": "2,000.00"}]))
    response = client.post(edit_url("budget", "m11"), budget("m11", november, [{"id": saved.pk, **line, "planned": "3,000.00"}]))
    assert response.status_code == 409 and "2,000.00" in response.content.decode()
    assert BudgetLine.objects.get().planned == 2000


# --- `version` is required, and the change is a conditional update (issue 22, point 6) ----------

VERSIONLESS = "ไม่ได้ระบุว่าเปิดหลักฐานนี้ที่ฉบับใด"


@pytest.mark.parametrize("view", ["evidence-edit", "evidence-replace", "evidence-remove"])
def test_a_change_without_version_is_refused_and_changes_nothing(client, users, station, o7, view):
    """An approved period's evidence: a POST without `version` used to skip the check and remove it."""
    period = approve_period(users, station, o7, OCT, [("รายงาน.pdf", make_pdf())])
    piece = Evidence.objects.get(item_period=period)
    before = (piece.title, piece.version, piece.current_revision_id, piece.removed_at)
    data = {"evidence-edit": {k: v for k, v in edit_data(piece, 0, title="ชื่อใหม่").items() if k != "version"},
            "evidence-replace": {},
            "evidence-remove": {"reason": "ลบทิ้ง"}}[view]
    client.force_login(users["admin"])
    for version in (None, "", "abc"):
        sent = {**data, **({} if version is None else {"version": version})}
        if view == "evidence-replace":
            sent["file"] = SimpleUploadedFile("ใหม่.pdf", make_pdf())
        response = client.post(reverse(view, args=[piece.pk]), sent)
        assert response.status_code == 400
        assert VERSIONLESS in response.content.decode()
    piece.refresh_from_db()
    assert (piece.title, piece.version, piece.current_revision_id, piece.removed_at) == before
    assert Revision.objects.filter(evidence=piece).count() == 1
    period.refresh_from_db()
    assert period.state == "approved"


def test_the_claim_refuses_a_version_someone_else_moved_past(users, piece):
    """What holds where `select_for_update` locks nothing (SQLite): the version in the UPDATE's WHERE."""
    stale = Evidence.objects.get(pk=piece.pk)
    evidence_service.edit(piece, {"title": "ชื่อแรก"}, users["admin"], version=1)
    with pytest.raises(evidence_service.Conflict):
        evidence_service._claim(stale, stale.version, title="ชื่อที่จะทับ")
    assert Evidence.objects.get().title == "ชื่อแรก" and Evidence.objects.get().version == 2


def test_the_forms_always_send_the_version(client, users, piece):
    client.force_login(users["responsible"])
    for view in ("evidence-edit", "evidence-replace", "evidence-remove"):
        body = client.get(reverse(view, args=[piece.pk])).content.decode()
        assert f'name="version" value="{piece.version}"' in body, view


@pytest.fixture
def slow_saves(committed_demo, monkeypatch):
    """Two saves at once overlap for real: each waits inside its transaction after its first write."""
    import time

    record = evidence_service.audit.record

    def slow_record(*args, **kwargs):
        time.sleep(0.2)
        return record(*args, **kwargs)

    monkeypatch.setattr(evidence_service.audit, "record", slow_record)


@pytest.mark.parametrize("second", ["edit", "remove", "replace"])
def test_two_threads_saving_at_once_lose_nothing(slow_saves, media_root, second):
    """On SQLite (the embedded default, `make run`: run with DATABASE_URL unset) and PostgreSQL alike:
    two officers opened the same evidence and press save at the same moment; one is saved, the other
    is told in Thai what changed, and nothing is lost."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from oit_items.evidence.permissions import period_of
    from oit_items.rulebook.models import Item
    from tests.together import run_together
    from units.models import Unit

    User = get_user_model()
    station = Unit.objects.get(slug="sn-buengkum")
    period = period_of(station, Item.objects.for_unit(station, 2567).get(code="O7"), OCT)
    [piece] = evidence_service.add_files(period, [validate_upload(SimpleUploadedFile("รายงาน.pdf", make_pdf()))],
                                         {"about_date": OCT, "title": "รายงาน ต.ค.", "description": "ฉบับแรก"},
                                         User.objects.get(username="bk-responsible"))
    piece = Evidence.objects.get(pk=piece.pk)
    sends = {
        "edit": lambda c: c.post(reverse("evidence-edit", args=[piece.pk]), edit_data(piece, 1, description="คำอธิบายที่สอง")),
        "first": lambda c: c.post(reverse("evidence-edit", args=[piece.pk]), edit_data(piece, 1, title="ชื่อจากผู้ดูแล")),
        "remove": lambda c: c.post(reverse("evidence-remove", args=[piece.pk]), {"reason": "ซ้ำ", "version": 1}),
        "replace": lambda c: c.post(reverse("evidence-replace", args=[piece.pk]),
                                    {"file": SimpleUploadedFile("ฉบับ 2.pdf", make_pdf()), "version": 1}),
    }
    clients = []
    for username in ("bk-admin", "bk-responsible"):
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        clients.append(client)
    results = run_together(lambda: sends["first"](clients[0]), lambda: sends[second](clients[1]))
    codes = sorted(getattr(r, "status_code", repr(r)) for r in results)
    assert codes == [302, 409], (connection.vendor, results)
    loser = results[0] if results[0].status_code == 409 else results[1]
    assert "มีการเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้" in loser.content.decode()  # the Thai conflict message
    saved = Evidence.objects.get(pk=piece.pk)
    events = list(AuditEvent.objects.filter(evidence=saved).values_list("action", flat=True).order_by("pk"))
    assert saved.version == 2 and len(events) == 2  # the upload, then exactly one of the two changes
    # What the winner saved is what is stored; the loser changed nothing.
    winner = "first" if results[0].status_code == 302 else second
    current = (saved.title, saved.description, saved.removed_at is not None, saved.current_revision.original_name)
    assert current == {"first": ("ชื่อจากผู้ดูแล", "ฉบับแรก", False, "รายงาน.pdf"),
                       "edit": ("รายงาน ต.ค.", "คำอธิบายที่สอง", False, "รายงาน.pdf"),
                       "remove": ("รายงาน ต.ค.", "ฉบับแรก", True, "รายงาน.pdf"),
                       "replace": ("รายงาน ต.ค.", "ฉบับแรก", False, "ฉบับ 2.pdf")}[winner]
    assert Revision.objects.filter(evidence=saved).count() == (2 if winner == "replace" else 1)
