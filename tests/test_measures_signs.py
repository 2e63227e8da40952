"""Service-point signs as print-ready A4 PDFs whose QR codes scan to the unit's public pages (checked
by rasterising with pdftoppm and decoding with zbarimg), and the No Gift sign with the head."""

import io
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import ImageFile
from pypdf import PdfReader

from ita_portal.lib import thaidate
from measures import kinds, signs
from measures.models import MeasurePlan
from oit_items.rulebook.models import Framework
from reports import jobs
from reports.models import RenderJob, RenderOutput
from tests.conftest import approve_period, make_pdf, require
from tests.data.measures_files import jpeg
from tests.pdfa import pdf_a2_failures
from tests.test_evidence_views import stored_files
from tests.test_measures_documents import run_job

FY = 2567


def scan(pdf: bytes, tmp_path) -> set[str]:
    """What a phone would read off the printed sign: the PDF at 150 dpi, decoded by zbar."""
    require(shutil.which("pdftoppm") and shutil.which("zbarimg"), "poppler-utils and zbar-tools are needed")
    source = tmp_path / "sign.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(source), str(tmp_path / "sign")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "sign.png")], capture_output=True, text=True)
    return {line.strip() for line in decoded.stdout.splitlines() if line.strip()}


def produce(client, user, unit, kind, capture) -> bytes:
    """Ask for the sign as the staff do, then download it through the permission-checked view."""
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("measures-render", args=[unit.slug, FY, kind]))
    assert response.status_code == 302
    job = RenderJob.objects.get(unit=unit, fiscal_year=FY, kind=kind)
    assert job.state == RenderJob.DONE, job.error
    download = client.get(reverse("measures-sign-file", args=[unit.slug, FY, kind]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait in points
    return pdf


def public(name, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def publish_manuals(users, unit):
    """Publish the service manuals of the year the sign's QR code opens (the current one)."""
    item = signs.manual_item(MeasurePlan.objects.get(unit=unit, fiscal_year=FY))
    year = item.framework.fiscal_year
    approve_period(users, unit, item, None if not item.months else thaidate.fiscal_month_date(year, 10),
                   [("คู่มือการให้บริการ.pdf", make_pdf(marker="คู่มือ"))])
    return item


def test_manual_sign_scans_to_a_year_independent_address_that_opens_the_current_item(
        client, users, station, tmp_path, django_capture_on_commit_callbacks):
    item = publish_manuals(users, station)
    pdf = produce(client, users["admin"], station, kinds.SIGN_MANUAL, django_capture_on_commit_callbacks)
    [url] = scan(pdf, tmp_path)
    assert url == public("public-item-current", "sn-buengkum", "service_manuals") and str(FY) not in url
    response = client.get(url.replace(settings.SITE_URL, ""))
    year = item.framework.fiscal_year
    assert response.status_code == 302 and response["Location"] == reverse("public-item", args=["sn-buengkum", year, "o9"])
    assert year == max(Framework.objects.filter(unit_type=station.unit_type).values_list("fiscal_year", flat=True))


def test_manual_sign_is_refused_while_nothing_is_published(client, users, other_unit, django_capture_on_commit_callbacks):
    client.force_login(users["other-commander"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures-render", args=[other_unit.slug, FY, kinds.SIGN_MANUAL]), follow=True)
    assert not RenderJob.objects.filter(unit=other_unit, kind=kinds.SIGN_MANUAL).exists()
    assert "O8" in response.content.decode()  # the reason names the item that has nothing published
    with pytest.raises(signs.SignError):
        signs.render(kinds.SIGN_MANUAL, MeasurePlan.objects.get(unit=other_unit, fiscal_year=FY))


def test_english_sign_is_refused_without_english_names(client, users, station, django_capture_on_commit_callbacks):
    station.head.first_name_en = ""
    station.head.save()
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures-render", args=[station.slug, FY, kinds.SIGN_NO_GIFT_EN]), follow=True)
    assert not RenderJob.objects.filter(unit=station, kind=kinds.SIGN_NO_GIFT_EN).exists()
    assert "English" in response.content.decode() or "อังกฤษ" in response.content.decode()


def test_eit_sign_is_refused_with_itaps_generic_address(station):
    plan = MeasurePlan.objects.get(unit=station, fiscal_year=FY)
    plan.eit_survey_url = "https://itap.nacc.go.th/"  # what the seed has
    with pytest.raises(signs.SignError, match="ITAP"):
        signs.render(kinds.SIGN_EIT, plan)


def test_eit_sign_scans_to_the_survey_address_the_unit_set(client, users, station, tmp_path, django_capture_on_commit_callbacks):
    MeasurePlan.objects.filter(unit=station, fiscal_year=FY).update(eit_survey_url="https://itap.nacc.go.th/eit/sn-buengkum?y=2567")
    pdf = produce(client, users["commander"], station, kinds.SIGN_EIT, django_capture_on_commit_callbacks)
    assert scan(pdf, tmp_path) == {"https://itap.nacc.go.th/eit/sn-buengkum?y=2567"}


def test_eit_sign_is_refused_without_an_address(client, users, other_unit, django_capture_on_commit_callbacks):
    client.force_login(users["other-admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures-render", args=[other_unit.slug, FY, kinds.SIGN_EIT]), follow=True)
    assert not RenderJob.objects.filter(unit=other_unit, kind=kinds.SIGN_EIT).exists()
    assert "EIT" in response.content.decode()


def english_names(unit):
    unit.head.first_name_en, unit.head.last_name_en = "Itthiwat", "Nutchathaworn"
    unit.head.save()


def test_no_gift_signs_carry_the_head_and_scan_to_the_unit_page(client, users, station, tmp_path, django_capture_on_commit_callbacks):
    english_names(station)
    thai = produce(client, users["admin"], station, kinds.SIGN_NO_GIFT_TH, django_capture_on_commit_callbacks)
    text = PdfReader(io.BytesIO(thai)).pages[0].extract_text()
    assert "No Gift Policy" in text and "พ.ต.อ.อิทธิวัฒน์ นุชถาวร" in text and "ผกก.สน.บึงกุ่ม" in text
    assert "ภาพถ่ายหัวหน้าหน่วย" in text  # no photo yet: a frame to fill in
    assert scan(thai, tmp_path) == {public("public-unit", "sn-buengkum")}
    english = produce(client, users["admin"], station, kinds.SIGN_NO_GIFT_EN, django_capture_on_commit_callbacks)
    text = PdfReader(io.BytesIO(english)).pages[0].extract_text()
    assert "Pol.Col. Itthiwat Nutchathaworn" in text and "Bueng Kum Metropolitan Police Station" in text
    assert scan(english, tmp_path) == {public("public-unit", "sn-buengkum")}


def test_no_gift_sign_shows_the_heads_photo(client, users, station, tmp_path, django_capture_on_commit_callbacks):
    head = station.head
    head.photo.save("head.jpg", ContentFile(jpeg(size=(300, 400), colour=(20, 120, 40))))
    pdf = produce(client, users["admin"], station, kinds.SIGN_NO_GIFT_TH, django_capture_on_commit_callbacks)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "ภาพถ่ายหัวหน้าหน่วย" not in page.extract_text()
    assert len(page.images) == 2  # the photo and the QR code


def test_signs_are_replaced_not_added(client, users, station, django_capture_on_commit_callbacks):
    publish_manuals(users, station)
    produce(client, users["admin"], station, kinds.SIGN_MANUAL, django_capture_on_commit_callbacks)
    first = RenderOutput.objects.get(job__kind=kinds.SIGN_MANUAL).file.name
    produce(client, users["commander"], station, kinds.SIGN_MANUAL, django_capture_on_commit_callbacks)
    outputs = RenderOutput.objects.filter(job__unit=station, job__kind=kinds.SIGN_MANUAL)
    assert outputs.count() == 1 and outputs.get().file.name != first


@pytest.mark.parametrize("role", ["viewer", "controller", "division-supervisor"])
def test_staff_who_may_view_download_signs_but_not_produce_them(client, users, station, role, django_capture_on_commit_callbacks):
    publish_manuals(users, station)
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        jobs.request(kinds.SIGN_MANUAL, station, FY, users["admin"])
    client.force_login(users[role])
    assert client.get(reverse("measures-sign-file", args=[station.slug, FY, kinds.SIGN_MANUAL])).status_code == 200
    assert client.post(reverse("measures-render", args=[station.slug, FY, kinds.SIGN_MANUAL])).status_code == 403
    client.force_login(users["other-admin"])
    assert client.get(reverse("measures-sign-file", args=[station.slug, FY, kinds.SIGN_MANUAL])).status_code == 403


def test_scan_to_complain_sign_scans_to_the_complaint_page_and_carries_the_emblem(
        client, users, station, tmp_path, django_capture_on_commit_callbacks):
    pdf = produce(client, users["admin"], station, kinds.SIGN_COMPLAINT, django_capture_on_commit_callbacks)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "สแกนเพื่อแจ้งเรื่อง" in page.extract_text() and len(page.images) == 1  # the QR code only
    assert scan(pdf, tmp_path) == {public("public-complaint", "sn-buengkum")}
    assert client.get(public("public-complaint", "sn-buengkum").replace(settings.SITE_URL, "")).status_code == 200
    station.emblem.save("ตรา.jpg", ContentFile(jpeg(size=(200, 200), colour=(180, 20, 20))))
    pdf = produce(client, users["admin"], station, kinds.SIGN_COMPLAINT, django_capture_on_commit_callbacks)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 2  # the emblem and the QR code


def test_signs_with_emblem_and_photo_still_fit_one_page(client, users, station, tmp_path, django_capture_on_commit_callbacks):
    station.emblem.save("ตรา.jpg", ContentFile(jpeg(size=(200, 200))))
    station.head.photo.save("head.jpg", ContentFile(jpeg(size=(300, 400), colour=(20, 120, 40))))
    MeasurePlan.objects.filter(unit=station, fiscal_year=FY).update(eit_survey_url="https://itap.nacc.go.th/eit/sn-buengkum?y=2567")
    english_names(station)
    publish_manuals(users, station)
    for kind in kinds.SIGNS:  # produce() checks the single A4 page
        pdf = produce(client, users["admin"], station, kind, django_capture_on_commit_callbacks)
        assert scan(pdf, tmp_path), kind
        assert pdf_a2_failures(pdf) == [], kind  # PDFBox Preflight: PDF/A-2u like the other documents
        root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/Lang"] == ("en" if kind == kinds.SIGN_NO_GIFT_EN else "th"), kind


def test_a_job_failing_after_it_stored_a_sign_leaves_no_file_in_the_storage(
        users, station, media_root, monkeypatch, django_capture_on_commit_callbacks):
    save = RenderOutput.save

    def failing_once_the_file_is_written(output, *args, **kwargs):
        if output.file:
            raise RuntimeError("the database went away")
        return save(output, *args, **kwargs)

    monkeypatch.setattr(RenderOutput, "save", failing_once_the_file_is_written)
    job = run_job(kinds.SIGN_NO_GIFT_TH, station, users["admin"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.FAILED and "RuntimeError" in job.error
    assert stored_files(media_root) == []


def test_rendering_a_sign_leaves_pillow_refusing_truncated_images(station, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    signs.render(kinds.SIGN_NO_GIFT_TH, MeasurePlan.objects.get(unit=station, fiscal_year=FY))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
