"""The public item page in a real browser: approved files download with their Thai names; a
draft's file URL answers 404; the page works on a phone and in English."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ita_portal.lib.uploads import validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import Revision
from oit_items.evidence.permissions import period_of
from tests.conftest import make_pdf

pytestmark = [pytest.mark.browser]


def test_public_o7_page_after_approval(live_server, committed_demo, users, station, o7, approved_o7, phone):
    draft = period_of(station, o7, datetime.date(2023, 11, 1))
    evidence_service.add_files(draft, [validate_upload(SimpleUploadedFile("ร่างรายงาน พ.ย.66.pdf", make_pdf()))],
                               {"about_date": datetime.date(2023, 11, 1)}, users["responsible"])
    draft_revision = Revision.objects.get(original_name="ร่างรายงาน พ.ย.66.pdf")

    phone.goto(f"{live_server.url}/u/sn-buengkum/ita/2567/o7/")
    body = phone.inner_text("main")
    assert "ตุลาคม 2566" in body and "ร่างรายงาน" not in body
    links = phone.locator("main a", has_text="รายงานผลการปฏิบัติราชการ ต.ค.66")
    assert links.count() == 2
    names = set()
    for index in range(2):
        with phone.expect_download() as download:
            links.nth(index).click()
        names.add(download.value.suggested_filename)
    assert names == {"รายงานผลการปฏิบัติราชการ ต.ค.66.pdf", "รายงานผลการปฏิบัติราชการ ต.ค.66.docx"}
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    response = phone.request.get(f"{live_server.url}/u/sn-buengkum/files/{draft_revision.pk}/")
    assert response.status == 404

    phone.click("nav button[data-bs-toggle=collapse]")
    phone.click("a:has-text('English')")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith("/en/u/sn-buengkum/ita/2567/o7/") and "October 2023" in phone.inner_text("main")
