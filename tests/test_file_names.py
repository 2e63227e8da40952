"""File names come back as the person typed them. Browsers percent-encode `"` (and CR, LF) in the
name they send (the HTML standard's multipart/form-data rule): `ใบเสร็จ "ก".pdf` arrives as
`ใบเสร็จ %22ก%22.pdf`. The portal decodes it, so titles, downloads and complaint attachments
carry the `"` again; a name with a line break is refused, not silently changed."""

import time
import urllib.parse

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from oit_items.channels.forms import SALT
from oit_items.channels.models import ComplaintAttachment
from oit_items.evidence.models import Evidence, Revision
from tests.conftest import make_pdf

TYPED = 'รายงาน "ต.ค.66" ฉบับ 50% & <แก้ไข>.pdf'
SENT = TYPED.replace('"', "%22")  # what Chromium and Firefox put in the request


def test_evidence_keeps_the_quotes_in_its_title_and_download(client, users, upload_files):
    response = upload_files(client, users["responsible"], [(SENT, make_pdf())])
    assert response.status_code == 302
    revision = Revision.objects.get(evidence__item_period__item__code="O7")
    assert revision.original_name == TYPED
    assert Evidence.objects.get(pk=revision.evidence_id).title == TYPED.removesuffix(".pdf")
    download = client.get(f"/staff/files/{revision.pk}/")
    assert "filename*=utf-8''" + urllib.parse.quote(TYPED) in download["Content-Disposition"]


def test_a_name_with_a_line_break_is_refused(client, users, upload_files):
    response = upload_files(client, users["responsible"], [("รายงาน%0Aต.ค.66.pdf", make_pdf())])
    assert response.status_code == 400 and not Revision.objects.exists()


def test_complaint_attachments_keep_the_quotes(client, users):
    data = {"subject": "เรียกรับเงิน", "text": "รายละเอียด", "anonymous": "on", "website": "",
            "started": signing.dumps(time.time() - 10, salt=SALT), "attachments": [SimpleUploadedFile(SENT, make_pdf())]}
    assert client.post("/u/sn-buengkum/complaints/new/", data).status_code == 302
    attachment = ComplaintAttachment.objects.get()
    assert attachment.original_name == TYPED
    client.force_login(users["admin"])
    page = client.get(f"/staff/units/sn-buengkum/complaints/{attachment.complaint_id}/").content.decode()
    assert "รายงาน &quot;ต.ค.66&quot; ฉบับ 50% &amp; &lt;แก้ไข&gt;.pdf" in page
    download = client.get(f"/staff/units/sn-buengkum/complaints/attachments/{attachment.pk}/")
    assert "filename*=utf-8''" + urllib.parse.quote(TYPED) in download["Content-Disposition"]


def test_a_literal_percent_that_is_not_a_browser_escape_stays(client, users, upload_files):
    assert upload_files(client, users["responsible"], [("ผล 100%25 ครบ.pdf", make_pdf())]).status_code == 302
    assert Revision.objects.get().original_name == "ผล 100%25 ครบ.pdf"
