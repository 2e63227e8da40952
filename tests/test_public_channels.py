import datetime
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oit_items.channels import stats
from oit_items.channels.forms import SALT
from oit_items.channels.models import Complaint, ComplaintAttachment, Question
from tests.conftest import make_pdf

ASK = "/u/sn-buengkum/questions/"
COMPLAIN = "/u/sn-buengkum/complaints/new/"
TRACK = "/u/sn-buengkum/complaints/track/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=SALT)


def question(**fields):
    return {"subject": "ขอทราบขั้นตอนแจ้งความออนไลน์", "text": "แจ้งความออนไลน์ได้ที่ไหนครับ", "website": "",
            "started": started(), **fields}


def complaint(**fields):
    return {"subject": "เจ้าหน้าที่เรียกรับเงิน", "text": "วันที่ 3 ต.ค. 2566 ที่จุดตรวจ มีการเรียกเงิน 500 บาท",
            "anonymous": "on", "website": "", "started": started(), **fields}


def test_anyone_asks_and_the_answer_can_be_published(client, users):
    assert client.post(ASK, question(name="สมชาย")).status_code == 302
    asked = Question.objects.get()
    assert asked.name == "สมชาย" and asked.ip == "127.0.0.1"
    assert "แจ้งความออนไลน์ได้ที่ไหน" not in client.get(ASK).content.decode()  # not answered yet
    client.force_login(users["admin"])
    client.post(f"/staff/units/sn-buengkum/questions/{asked.pk}/", {"answer": "ที่ thaipoliceonline.go.th", "publish": "on"})
    client.logout()
    body = client.get(ASK).content.decode()
    assert "แจ้งความออนไลน์ได้ที่ไหน" in body and "thaipoliceonline.go.th" in body


def test_an_unpublished_answer_stays_private(client, users):
    client.post(ASK, question())
    client.force_login(users["commander"])
    client.post(f"/staff/units/sn-buengkum/questions/{Question.objects.get().pk}/", {"answer": "ตอบเป็นการภายใน"})
    client.logout()
    assert "ตอบเป็นการภายใน" not in client.get(ASK).content.decode()


ABUSE = {  # built when the test runs: a "fresh" timestamp must be fresh then, not at collection
    "honeypot": (lambda: {"website": "http://spam.example"}, None),
    "sent within seconds": (lambda: {"started": started(0)}, None),
    "forged timestamp": (lambda: {"started": "forged"}, None),
    "too long": (lambda: {"text": "ก" * 3001}, "text"),  # size limits
}


@pytest.mark.parametrize("case", sorted(ABUSE))
def test_abuse_is_refused_and_what_was_typed_comes_back(client, case):
    make, field = ABUSE[case]
    bad = make()
    response = client.post(ASK, question(**bad))
    assert response.status_code == 400
    assert not Question.objects.exists()
    if field:
        assert response.context["form"].errors[field]
    assert "ขอทราบขั้นตอนแจ้งความออนไลน์" in response.content.decode() or bad.get("subject")


def test_rate_limit_per_address(client):
    for _ in range(5):
        assert client.post(ASK, question()).status_code == 302
    response = client.post(ASK, question())
    assert response.status_code == 429 and "มากเกินไป" in response.content.decode()
    assert Question.objects.count() == 5
    other = client.post(ASK, question(), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302  # another address is not blocked


def test_anonymous_complaint_is_followed_with_its_code(client, users):
    pdf = SimpleUploadedFile("หลักฐาน.pdf", make_pdf())
    response = client.post(COMPLAIN, complaint(name="ไม่ควรถูกเก็บ", attachments=[pdf]), follow=True)
    body = response.content.decode()
    filed = Complaint.objects.get()
    assert filed.anonymous and filed.name == "" and filed.code in body
    assert ComplaintAttachment.objects.get().original_name == "หลักฐาน.pdf"
    # Shown once: refreshing does not show the code again.
    assert filed.code not in client.get("/u/sn-buengkum/complaints/sent/", follow=True).content.decode()

    tracked = client.get(TRACK, {"code": filed.code.lower().replace("-", " ")}).content.decode()
    assert 'data-status="received"' in tracked and "เรียกรับเงิน" not in tracked  # status only
    client.force_login(users["commander"])
    client.post(f"/staff/units/sn-buengkum/complaints/{filed.pk}/", {"status": "finished", "note": "ตรวจสอบแล้ว",
                                                                     "public_note": "ดำเนินการทางวินัยแล้ว"})
    client.logout()
    tracked = client.get(TRACK, {"code": filed.code}).content.decode()
    assert 'data-status="finished"' in tracked and "ดำเนินการทางวินัยแล้ว" in tracked and "ตรวจสอบแล้ว" not in tracked


def test_wrong_code_and_other_units_code(client):
    client.post(COMPLAIN, complaint())
    code = Complaint.objects.get().code
    assert "ไม่พบ" in client.get(TRACK, {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert 'data-status' not in client.get("/u/imm-buengkan/complaints/track/", {"code": code}).content.decode()


def test_hostile_attachment_refuses_the_whole_complaint(client):
    program = SimpleUploadedFile("หลักฐาน.pdf", b"MZ" + b"\0" * 200)
    response = client.post(COMPLAIN, complaint(attachments=[program]))
    assert response.status_code == 400 and "หลักฐาน.pdf" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_complaint_appears_in_that_months_statistics(client, station):
    client.post(COMPLAIN, complaint())
    filed = Complaint.objects.get()
    october = timezone.make_aware(datetime.datetime(2023, 10, 12, 10))
    Complaint.objects.filter(pk=filed.pk).update(created_at=october)
    by_month = {s.month: s for s in stats.monthly(station, 2567)}
    assert (by_month[datetime.date(2023, 10, 1)].received, by_month[datetime.date(2023, 10, 1)].in_progress) == (1, 1)
    assert by_month[datetime.date(2023, 11, 1)].received == 0 and by_month[datetime.date(2023, 11, 1)].in_progress == 1
    assert by_month[datetime.date(2023, 12, 1)].none is False
    Complaint.objects.filter(pk=filed.pk).update(status="finished", finished_at=october + datetime.timedelta(days=40))
    by_month = {s.month: s for s in stats.monthly(station, 2567)}
    assert by_month[datetime.date(2023, 11, 1)].finished == 1
    assert by_month[datetime.date(2023, 12, 1)].none  # nothing received, nothing open: "no complaints"
    page = client.get("/u/sn-buengkum/ita/2567/o17/").content.decode()
    assert 'data-month="2023-10"' in page and "ไม่มีเรื่องร้องเรียน" in page


@pytest.mark.parametrize("role, status", [("admin", 200), ("commander", 200), ("controller", 403), ("responsible", 403),
                                          ("viewer", 403), ("division-supervisor", 403), ("other-commander", 403)])
def test_who_sees_complaints_and_questions(client, users, role, status):
    client.post(COMPLAIN, complaint())
    client.force_login(users[role])
    filed = Complaint.objects.get()
    assert client.get("/staff/units/sn-buengkum/complaints/").status_code == status
    assert client.get(f"/staff/units/sn-buengkum/complaints/{filed.pk}/").status_code == status
    assert client.get("/staff/units/sn-buengkum/questions/").status_code == status


def test_the_unit_is_told_without_the_text(client, django_capture_on_commit_callbacks):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(COMPLAIN, complaint())
    sent = mail.outbox[-1]
    assert sorted(sent.to) == ["bk-admin@demo.ita-portal.local", "bk-commander@demo.ita-portal.local"]
    assert "/staff/units/sn-buengkum/complaints/" in sent.body and "500 บาท" not in sent.body


# --- fairness of the limits, text as typed ---------------------------------------------------------

def test_only_accepted_sends_count_toward_the_limit(client):
    for _ in range(5):  # five mistakes: a missing subject
        assert client.post(ASK, question(subject="")).status_code == 400
    for _ in range(5):
        assert client.post(ASK, question()).status_code == 302
    assert Question.objects.count() == 5


def test_the_limit_page_keeps_what_was_typed(client):
    for _ in range(5):
        client.post(ASK, question())
    typed = "คำถามยาวที่พิมพ์มาอย่างตั้งใจ ขอให้ระบบเก็บไว้"
    response = client.post(ASK, question(text=typed))
    page = response.content.decode()
    assert response.status_code == 429 and "มากเกินไป" in page and typed in page
    assert Question.objects.count() == 5


@pytest.mark.parametrize("typed", ["ราคา <US$20", "Somchai <somchai@example.com>", "<script>alert(1)</script>"])
def test_angle_brackets_are_written_as_typed_and_escaped_on_output(client, users, typed):
    assert client.post(ASK, question(text=typed)).status_code == 302
    asked = Question.objects.get()
    assert asked.text == typed
    client.force_login(users["admin"])
    staff = client.get(f"/staff/units/sn-buengkum/questions/{asked.pk}/").content.decode()
    client.post(f"/staff/units/sn-buengkum/questions/{asked.pk}/", {"answer": "ตอบแล้ว", "publish": "on"})
    client.logout()
    public = client.get(ASK).content.decode()
    escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for page in (staff, public):
        assert escaped in page and typed not in page


def test_bidi_controls_are_stripped(client):
    reversed_text = "ร้องเรียน \u202eabc\u202c ท้ายข้อความ \u2066x\u2069"
    assert client.post(COMPLAIN, complaint(subject="\u202eเรียกรับเงิน", text=reversed_text)).status_code == 302
    filed = Complaint.objects.get()
    assert filed.subject == "เรียกรับเงิน" and filed.text == "ร้องเรียน abc ท้ายข้อความ x"


def test_an_anonymous_complaint_keeps_no_address(client):
    assert client.post(COMPLAIN, complaint(anonymous="on")).status_code == 302
    assert Complaint.objects.get().ip is None
    assert client.post(COMPLAIN, complaint(anonymous="", name="สมชาย", contact="081")).status_code == 302
    assert Complaint.objects.get(anonymous=False).ip == "127.0.0.1"  # a named one may be answered


def test_behind_a_trusted_proxy_each_citizen_has_their_own_limit(client, settings):
    settings.USE_X_FORWARDED_FOR, settings.TRUSTED_PROXIES = True, ["10.0.0.1"]
    for _ in range(5):
        assert client.post(ASK, question(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302
    assert client.post(ASK, question(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.post(ASK, question(), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


# --- QR codes of the public pages --------------------------------------------------------------

def _decoded(png: bytes, tmp_path) -> str:
    import shutil
    import subprocess

    from tests.conftest import require

    require(shutil.which("zbarimg") is not None, "zbar-tools is needed")
    (tmp_path / "qr.png").write_bytes(png)
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.parametrize("path", ["/u/sn-buengkum/complaints/new/", "/u/sn-buengkum/questions/",
                                  "/u/sn-buengkum/complaints/track/", "/u/sn-buengkum/ita/2567/o17/", "/u/sn-buengkum/"])
def test_every_public_page_of_a_unit_has_a_qr_code_that_scans(client, path, tmp_path):
    response = client.get("/u/sn-buengkum/qr.png", {"path": path})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert _decoded(response.content, tmp_path) == "http://testserver" + path  # the address served (SITE_URL in production)
    assert client.get(path).status_code == 200  # and the page it opens exists
    assert client.get("/u/sn-buengkum/qr.svg", {"path": path})["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("path", ["/u/sn-buengkum/ita/2567/o99/", "/u/sn-buengkum/ita/2590/", "/u/sn-buengkum/ita/2590/o7/",
                                  "/u/imm-buengkan/complaints/new/", "/staff/units/sn-buengkum/", "/u/sn-buengkum/nothing/",
                                  "/u/sn-buengkum/complaints/sent/"])
def test_no_qr_code_for_a_page_that_does_not_exist_or_is_not_this_units(client, db, path):
    assert client.get("/u/sn-buengkum/qr.png", {"path": path}).status_code == 404


def test_the_unit_home_offers_the_qr_codes_of_its_channels(client, db):
    body = client.get("/u/sn-buengkum/").content.decode()
    for path in ("/u/sn-buengkum/questions/", "/u/sn-buengkum/complaints/new/", "/u/sn-buengkum/complaints/track/"):
        assert f'src="/u/sn-buengkum/qr.svg?path={path}"' in body, path
        assert f'href="/u/sn-buengkum/qr.png?path={path}" download' in body, path


def test_the_qr_thumb_opens_a_larger_view_and_the_downloads_are_links_of_their_own(client, db):
    body = client.get("/u/sn-buengkum/").content.decode()
    path = "/u/sn-buengkum/questions/"
    thumb = body[body.index(f'<a class="qr-open" href="/u/sn-buengkum/qr.svg?path={path}"'):]
    thumb = thumb[:thumb.index("</a>")]
    assert "download" not in thumb and 'data-qr-dialog="qr-usn-buengkumquestions"' in thumb
    dialog = body[body.index('<dialog class="qr-dialog" id="qr-usn-buengkumquestions"'):]
    dialog = dialog[:dialog.index("</dialog>")]
    assert 'width="288"' in dialog and f'href="/u/sn-buengkum/qr.png?path={path}" download>PNG</a>' in dialog
    assert 'js/qr.js' in body


QUESTION_TRACK = "/u/sn-buengkum/questions/track/"


def test_a_question_gets_a_reference_code_shown_once_and_followed_up_with_it(client, users):
    response = client.post(ASK, question())
    assert response.status_code == 302 and response["Location"] == "/u/sn-buengkum/questions/sent/"
    asked = Question.objects.get()
    sent = client.get("/u/sn-buengkum/questions/sent/").content.decode()
    assert f'data-code="{asked.code}"' in sent and "รหัสอ้างอิง" in sent
    assert client.get("/u/sn-buengkum/questions/sent/")["Location"] == QUESTION_TRACK  # shown only once
    tracked = client.get(QUESTION_TRACK, {"code": asked.code.lower().replace("-", " ")}).content.decode()
    assert 'data-status="received"' in tracked and "ยังไม่ได้ตอบ" in tracked and asked.subject in tracked
    client.force_login(users["admin"])
    client.post(f"/staff/units/sn-buengkum/questions/{asked.pk}/", {"answer": "แจ้งได้ที่ thaipoliceonline.go.th"})
    client.logout()
    tracked = client.get(QUESTION_TRACK, {"code": asked.code}).content.decode()
    # The one who asked sees the answer with the code, although it is not published on the page.
    assert 'data-status="answered"' in tracked and "thaipoliceonline.go.th" in tracked
    assert "thaipoliceonline.go.th" not in client.get(ASK).content.decode()


def test_a_wrong_reference_code_says_so_in_thai(client, db):
    page = client.get(QUESTION_TRACK, {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "ไม่พบคำถามของหน่วยนี้ที่มีรหัสอ้างอิงนี้" in page and "data-status" not in page


def test_another_units_question_is_not_found_with_its_code_nor_a_complaints(client, station, other_unit):
    theirs = Question.objects.create(unit=other_unit, subject="คำถามของหน่วยอื่น", text="ข้อความ")
    filed = Complaint.objects.create(unit=station, subject="เรื่องร้องเรียน", text="ข้อความ")
    assert "data-status" not in client.get(QUESTION_TRACK, {"code": theirs.code}).content.decode()
    assert "data-status" not in client.get(QUESTION_TRACK, {"code": filed.code}).content.decode()
    found = client.get("/u/imm-buengkan/questions/track/", {"code": theirs.code}).content.decode()
    assert 'data-status="received"' in found and "คำถามของหน่วยอื่น" in found


def test_guessing_reference_codes_is_limited(client, db):
    for _n in range(30):
        client.get(QUESTION_TRACK, {"code": "AAAA-BBBB-CCCC"})
    assert client.get(QUESTION_TRACK, {"code": "AAAA-BBBB-CCCC"}).status_code == 429

