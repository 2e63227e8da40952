import datetime
import io
import urllib.parse
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import checks, workflow
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import Assignment, Evidence, ItemPeriod, Revision
from oit_items.evidence.permissions import item_access, period_of
from tests.conftest import make_docx, make_pdf
from tests.test_upload_validation import bilevel_png
from units.models import Officer, Role
from units.permissions import unit_access

BASE = "/staff/units/sn-buengkum/ita/2567/o7/"


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.fixture
def unassigned_responsible(db, station):
    """A responsible officer of the station who is not assigned to O7 (only to nothing)."""
    officer = Officer.objects.create(unit=station, rank="ส.ต.ต.", first_name="ทดสอบ", last_name="ไม่ได้รับมอบหมาย")
    user = get_user_model().objects.create_user("bk-other-responsible", password="x")
    officer.user = user
    officer.save()
    Role.objects.create(user=user, unit=station, role=Role.RESPONSIBLE)
    return user


def test_anonymous_is_sent_to_login(client):
    for url in (BASE, "/staff/units/sn-buengkum/ita/2567/"):
        assert client.get(url)["Location"].startswith("/login/")
    assert client.post(BASE + "m10/upload/")["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ["admin", "responsible", "controller", "commander", "viewer", "division-supervisor"])
def test_workspace_and_item_page_for_the_units_people(client, users, role):
    client.force_login(users[role])
    assert client.get("/staff/units/sn-buengkum/ita/2567/").status_code == 200
    page = client.get(BASE)
    assert page.status_code == 200
    # Upload forms only for those who may upload (assigned responsible officer, admin).
    assert ('name="files"' in page.content.decode()) == (role in ("admin", "responsible"))


@pytest.mark.parametrize("role", ["admin", "responsible", "controller", "commander", "viewer"])
def test_another_units_people_are_refused(client, users, role):
    client.force_login(users[f"other-{role}"])
    assert client.get("/staff/units/sn-buengkum/ita/2567/").status_code == 403
    assert client.get(BASE).status_code == 403


@pytest.mark.parametrize("role", ["controller", "commander", "viewer", "division-supervisor", "other-admin", "other-responsible"])
def test_who_may_not_upload(client, users, upload_files, role, media_root):
    response = upload_files(client, users[role], [("a.pdf", make_pdf())])
    assert response.status_code == 403
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_a_responsible_officer_uploads_only_to_assigned_items(client, unassigned_responsible, upload_files):
    assert upload_files(client, unassigned_responsible, [("a.pdf", make_pdf())]).status_code == 403


def test_upload_several_files_keeps_thai_names_and_hashes(client, users, upload_files, media_root):
    pdf, word = make_pdf(3), make_docx()
    response = upload_files(client, users["responsible"], [("รายงานผล ต.ค.66.pdf", pdf), ("รายงานผล ต.ค.66.docx", word)])
    assert response.status_code == 302 and response["Location"].endswith("#m10")
    revisions = {r.original_name: r for r in Revision.objects.all()}
    assert set(revisions) == {"รายงานผล ต.ค.66.pdf", "รายงานผล ต.ค.66.docx"}
    pdf_revision = revisions["รายงานผล ต.ค.66.pdf"]
    assert pdf_revision.page_count == 3 and pdf_revision.format == "pdf"
    import hashlib

    assert pdf_revision.sha256 == hashlib.sha256(pdf).hexdigest()
    # Stored under a random safe name, not the user's.
    assert "รายงาน" not in pdf_revision.file.name and pdf_revision.file.name.endswith(".pdf")
    assert len(stored_files(media_root)) == 3  # the two files and the thumbnail of the PDF's first page
    assert pdf_revision.thumbnail.name.startswith("thumbnails/") and not revisions["รายงานผล ต.ค.66.docx"].thumbnail


def test_download_gives_the_thai_name_back(client, users, upload_files):
    upload_files(client, users["responsible"], [("รายงานผล ต.ค.66.pdf", make_pdf())])
    revision = Revision.objects.get()
    client.force_login(users["viewer"])
    response = client.get(reverse("file-download", args=[revision.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''" + urllib.parse.quote("รายงานผล ต.ค.66.pdf") in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(users["other-admin"])
    assert client.get(reverse("file-download", args=[revision.pk])).status_code == 404


def test_download_can_be_handed_to_nginx(client, users, upload_files, settings):
    upload_files(client, users["responsible"], [("ก.pdf", make_pdf())])
    revision = Revision.objects.get()
    settings.FILE_SERVING = "nginx"
    client.force_login(users["viewer"])
    response = client.get(reverse("file-download", args=[revision.pk]))
    assert response["X-Accel-Redirect"] == "/protected-media/" + revision.file.name
    assert response.content == b""


def _zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    return buffer.getvalue()


HOSTILE = {
    "image bomb": ("ภาพกิจกรรม.png", bilevel_png(20000, 20000)),  # 50 KB on disk, 400 million pixels
    "program renamed to .pdf": ("รายงาน.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500),
    "truncated PDF": ("รายงาน.pdf", make_pdf(2)[:300]),
    "HTML renamed to .docx": ("รายงาน.docx", b"<html><script>alert(1)</script></html>"),
}


def raw_multipart(fields: dict, files: list) -> tuple[bytes, str]:
    """A multipart body built by hand: Django's test client would strip a "../" from a file name,
    an attacker's client does not."""
    boundary = "----ita-test-boundary"
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    for name, content in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/pdf\r\n\r\n" + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_path_as_file_name_is_refused_not_silently_renamed(client, users, media_root):
    client.force_login(users["responsible"])
    body, content_type = raw_multipart(
        {"about_date": "31/10/2566", "language": "th", "description": "ข้อความที่ต้องไม่หาย"},
        [("ดี.pdf", make_pdf()), ("../../etc/รายงาน.pdf", make_pdf())])
    response = client.post(BASE + "m10/upload/", data=body, content_type=content_type)
    assert response.status_code == 400
    text = response.content.decode()
    assert "../../etc/รายงาน.pdf" in text and "ข้อความที่ต้องไม่หาย" in text
    assert not Evidence.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_uploads_are_refused_and_nothing_is_stored(client, users, upload_files, media_root, case):
    name, content = HOSTILE[case]
    response = upload_files(client, users["responsible"], [("ดี.pdf", make_pdf()), (name, content)],
                            description="ข้อความที่ต้องไม่หาย")
    assert response.status_code == 400
    body = response.content.decode()
    assert "invalid-feedback" in body or "alert-danger" in body
    assert "ข้อความที่ต้องไม่หาย" in body  # what the officer typed comes back
    assert not Evidence.objects.exists() and not Revision.objects.exists()
    assert stored_files(media_root) == []


def test_oversized_upload_is_refused(client, users, upload_files, media_root, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    response = upload_files(client, users["responsible"], [("ใหญ่.pdf", make_pdf(20))])
    assert response.status_code == 400 and "ใหญ่.pdf" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_ajax_upload_answers_json(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["responsible"])
    ok = client.post(BASE + "m10/upload/", {"about_date": "31/10/2566", "language": "th",
                                          "files": [SimpleUploadedFile("ก.pdf", make_pdf())]},
                     HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert ok.status_code == 200 and ok.json()["ok"] is True
    bad = client.post(BASE + "m10/upload/", {"about_date": "31/10/2566", "language": "th",
                                           "files": [SimpleUploadedFile("ก.pdf", b"MZ" + b"\0" * 100)]},
                      HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert bad.status_code == 400 and bad.json()["errors"]


def test_ce_date_is_refused_not_stored(client, users, upload_files):
    response = upload_files(client, users["responsible"], [("ก.pdf", make_pdf())], about_date="31/10/2023")
    assert response.status_code == 400 and "คริสต์ศักราช" in response.content.decode()
    assert not Evidence.objects.exists()


def test_period_outside_the_item_is_404(client, users, upload_files):
    assert upload_files(client, users["responsible"], [("ก.pdf", make_pdf())], period="m6").status_code == 404
    assert upload_files(client, users["responsible"], [("ก.pdf", make_pdf())], period="all").status_code == 404


def test_link_and_none_declaration(client, users):
    client.force_login(users["responsible"])
    response = client.post("/staff/units/sn-buengkum/ita/2567/o10/all/link/", {
        "url": "https://ecrime.police.go.th", "title": "ระบบแจ้งความ Online", "about_date": "1/11/2566", "language": "th"})
    assert response.status_code == 302
    assert Evidence.objects.get(kind="link").url == "https://ecrime.police.go.th"
    response = client.post("/staff/units/sn-buengkum/ita/2567/o15/m10/none/", {
        "reason": "ไม่มีการจัดซื้อจัดจ้างในเดือนนี้", "about_date": "31/10/2566"})
    assert response.status_code == 302
    assert ItemPeriod.objects.get(item__code="O15", month__month=10).evidence.get().kind == "none"


def test_workflow_buttons_follow_rights(client, users, upload_files):
    upload_files(client, users["responsible"], [("ก.pdf", make_pdf())])
    client.force_login(users["controller"])
    assert client.post(BASE + "m10/submit/").status_code == 403
    client.force_login(users["responsible"])
    client.post(BASE + "m10/submit/")
    client.force_login(users["commander"])
    response = client.post(BASE + "m10/approve/", follow=True)
    assert "ไม่สามารถ" in response.content.decode()  # not checked yet: refused with a reason
    assert ItemPeriod.objects.get(month__month=10).state == ItemPeriod.SUBMITTED


@pytest.mark.parametrize("view", ["evidence-replace", "evidence-edit", "evidence-remove"])
def test_evidence_pages_for_uploaders_only(client, users, upload_files, view):
    upload_files(client, users["responsible"], [("ก.pdf", make_pdf())])
    piece = Evidence.objects.get()
    for role, status in (("responsible", 200), ("admin", 200), ("controller", 403), ("other-admin", 403)):
        client.force_login(users[role])
        assert client.get(reverse(view, args=[piece.pk])).status_code == status, role


def test_workspace_queries_do_not_grow(client, users, upload_files, django_assert_num_queries):
    client.force_login(users["viewer"])
    url = "/staff/units/sn-buengkum/ita/2567/"
    client.get(url)
    with django_assert_num_queries(13):  # 11 + the ITA calendar partial's 2, whatever the rows
        client.get(url)
    for n, code in enumerate(["o7", "o11", "o15"]):
        upload_files(client, users["responsible"], [(f"{n}-{i}.pdf", make_pdf()) for i in range(3)], code=code)
    client.force_login(users["viewer"])
    with django_assert_num_queries(13):
        client.get(url)


def test_item_page_queries_do_not_grow(client, users, upload_files, django_assert_num_queries):
    upload_files(client, users["responsible"], [("first.pdf", make_pdf())])
    client.force_login(users["viewer"])
    client.get(BASE)
    with django_assert_num_queries(15):  # 14 + what each period has public now, in one query
        client.get(BASE)
    for period in ("m10", "m11", "m12"):
        upload_files(client, users["responsible"], [(f"{period}-{i}.pdf", make_pdf()) for i in range(3)], period=period)
    client.force_login(users["responsible"])
    client.post(BASE + "m10/submit/")
    piece = Evidence.objects.filter(item_period__month__month=11).first()
    client.post(reverse("evidence-remove", args=[piece.pk]), {"reason": "ซ้ำ"})
    client.force_login(users["viewer"])
    with django_assert_num_queries(15):
        client.get(BASE)


O15 = "/staff/units/sn-buengkum/ita/2567/o15/"


def _declare_none(client, user):
    client.force_login(user)
    return client.post(O15 + "m10/none/", {"reason": "ไม่มีการจัดซื้อจัดจ้างในเดือนนี้", "about_date": "31/10/2566"})


def test_a_month_declared_none_refuses_evidence_on_every_path(client, users, upload_files, media_root):
    """A month cannot say "none" and hold a file or a link: the form, the JSON upload and the service
    itself (imports, render jobs) refuse with the reason, and nothing is stored."""
    assert _declare_none(client, users["responsible"]).status_code == 302
    page = client.get(O15).content.decode()
    assert 'data-blocked="evidence"' in page and "ระบุว่าไม่มี" in page  # the card says why, no upload form there
    assert f'action="{O15}m10/upload/"' not in page and f'action="{O15}m10/none/"' not in page
    response = upload_files(client, users["responsible"], [("สขร.1 ต.ค.66.pdf", make_pdf())], code="o15")
    assert response.status_code == 409 and "ลบการระบุว่าไม่มีก่อน" in response.content.decode()
    response = client.post(O15 + "m10/upload/", {"about_date": "31/10/2566", "language": "th",
                                                  "files": [SimpleUploadedFile("a.pdf", make_pdf())]},
                           headers={"accept": "application/json", "x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 409 and "ลบการระบุว่าไม่มีก่อน" in response.json()["errors"][0]
    response = client.post(O15 + "m10/link/", {"url": "https://gprocurement.go.th", "title": "ประกาศ",
                                               "about_date": "31/10/2566", "language": "th"})
    assert response.status_code == 409 and "ลบการระบุว่าไม่มีก่อน" in response.content.decode()
    period = ItemPeriod.objects.get(item__code="O15", month__month=10)
    with pytest.raises(evidence_service.EvidenceError):
        evidence_service.add_files(period, [validate_upload(SimpleUploadedFile("a.pdf", make_pdf()))],
                                   {"about_date": period.month}, users["admin"])
    assert list(period.evidence.values_list("kind", flat=True)) == ["none"] and stored_files(media_root) == []


def test_evidence_first_then_none_is_refused_and_the_card_says_why(client, users):
    client.force_login(users["responsible"])
    client.post(O15 + "m10/link/", {"url": "https://gprocurement.go.th", "title": "ประกาศ", "about_date": "31/10/2566",
                                    "language": "th"})
    assert 'data-blocked="none"' in client.get(O15).content.decode()
    response = _declare_none(client, users["responsible"])
    assert response.status_code == 400 and "มีหลักฐานอยู่แล้ว" in response.content.decode()
    assert list(ItemPeriod.objects.get(item__code="O15", month__month=10).evidence.values_list("kind", flat=True)) == ["link"]


def test_a_month_already_holding_both_fails_its_check_and_cannot_be_submitted(client, users):
    """Data from before the refusal: the check shows it on the card, and no step forward passes it."""
    client.force_login(users["responsible"])
    client.post(O15 + "m10/link/", {"url": "https://gprocurement.go.th", "title": "ประกาศ", "about_date": "31/10/2566",
                                    "language": "th"})
    period = ItemPeriod.objects.get(item__code="O15", month__month=10)
    Evidence.objects.create(item_period=period, kind=Evidence.NONE, title="ไม่มี", reason="ไม่มี",
                            about_date=datetime.date(2023, 10, 31), created_by=users["responsible"])
    check = checks.evaluate(period.item, Evidence.objects.by_month(period.unit_id, period.item_id))
    message = "ระบุว่าไม่มีแต่ก็มีหลักฐาน"
    assert any(message in f.message for f in check.period(period.month).failures)
    assert message in client.get(O15).content.decode()  # visible on the card before anyone submits
    response = client.post(O15 + "m10/submit/", follow=True)
    assert "ลบอย่างใดอย่างหนึ่งก่อน" in response.content.decode()
    period.refresh_from_db()
    assert period.state == ItemPeriod.DRAFT
    # Nor can a controller pass it with a reason, whatever the state it reached.
    ItemPeriod.objects.filter(pk=period.pk).update(state=ItemPeriod.SUBMITTED)
    controller = users["controller"]
    rights = item_access(controller, unit_access(controller, period.unit), Assignment.objects.get(unit=period.unit, item=period.item))
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(period_of(period.unit, period.item, period.month), "check", controller, rights, override="ผ่าน")
