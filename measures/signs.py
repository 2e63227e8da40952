"""Print-ready A4 signs for the service point: the No Gift Policy sign in Thai and in English with
the head of unit's photo, rank and name, and the "download the service manual", EIT survey and
"scan to complain" signs with a QR code that must scan. Each carries the unit's emblem.

A sign must tell the truth for as long as it hangs: it is refused, with the reason, when its QR
code would open a page with nothing published (the service manual), when the English sign would
print Thai names, or when the EIT survey address is not the unit's own link. Its QR codes open
year-independent addresses (the unit's home, the current year's service-manual item), so a sign
printed this year still scans to the right page next year.

Rendered with WeasyPrint from templates/measures/signs/, with the reports app's Thai fonts so the
text copies out as Thai. A sign is printed in its own language whatever the officer's interface
language, so its words are in the templates, not in the message catalogue; the No Gift statement
can be replaced per plan.
"""

import base64
import io
import logging
from urllib.parse import urlsplit

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate
from ita_portal.lib.site import site_url
from measures import kinds
from measures.models import MeasurePlan
from oit_items.public.records import current_item, published_by_month
from oit_items.rulebook.models import Item
from reports.renderers import thai_fonts
from reports.renderers.pdf import PDF_VARIANT, weasyprint_html

SERVICE_MANUAL_TOPIC = "service_manuals"  # O9 police / O8 immigration
GENERIC_EIT_HOSTS = ("itap.nacc.go.th",)  # ITAP's own address: every unit's survey is somewhere under it
PHOTO_MAX_PX = 900

NO_GIFT_TH = ("{unit} ขอประกาศเจตนารมณ์ว่า ข้าราชการตำรวจทุกนายในสังกัดจะไม่รับของขวัญ ของกำนัล "
              "หรือประโยชน์อื่นใดจากการปฏิบัติหน้าที่ และขอความร่วมมือผู้มาติดต่อราชการงดให้ของขวัญและของกำนัลทุกชนิด")
NO_GIFT_EN = ("{unit} and all of its officers do not accept gifts, hospitality or any other benefit "
              "in the performance of their duties. Please do not offer any.")


class SignError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def unit_url(plan: MeasurePlan) -> str:
    return site_url() + reverse("public-unit", args=[plan.unit.slug])


def manual_item(plan: MeasurePlan) -> Item | None:
    """The service-manual item the sign's QR code opens: the current year's (see manual_url)."""
    return current_item(plan.unit, SERVICE_MANUAL_TOPIC)


def manual_url(plan: MeasurePlan) -> str:
    """The year-independent public address of the unit's service manuals: it opens the current
    year's item, whichever year the sign was printed in."""
    return site_url() + reverse("public-item-current", args=[plan.unit.slug, SERVICE_MANUAL_TOPIC])


def refusal(kind: str, plan: MeasurePlan) -> str:
    """Why this sign cannot be printed now ("" when it can): what the officer must do first."""
    unit, head = plan.unit, plan.unit.head
    if kind == kinds.SIGN_NO_GIFT_EN:
        missing = [label for label, value in ((_("the unit's English name"), unit.name_en),
                                              (_("the head of unit"), head),
                                              (_("the head's name in English"), head and head.first_name_en and head.last_name_en))
                   if not value]
        if missing:
            return _("The English sign would print Thai names: enter %(missing)s first.") % {"missing": ", ".join(missing)}
    if kind == kinds.SIGN_MANUAL:
        item = manual_item(plan)
        if item is None:
            return _("There is no public service manual item for this unit and fiscal year.")
        if not published_by_month(unit, [item]).get(item.pk):
            return _("Nothing is published yet for %(code)s (service manuals): its QR code would open an empty page. "
                     "Publish the manuals first.") % {"code": item.code}
    if kind == kinds.SIGN_EIT:
        if not plan.eit_survey_url:
            return _("The EIT survey address is not set: enter it in the plan first.")
        address = urlsplit(plan.eit_survey_url)
        if address.hostname in GENERIC_EIT_HOSTS and address.path.strip("/") == "" and not address.query:
            return _("The EIT survey address is ITAP's home page, not the unit's own survey link: enter the link "
                     "ITAP gives the unit.")
    return ""


def qr_data_uri(url: str) -> str:
    # Error correction M and a 4-module quiet zone: scans from a printed A4 sign at arm's length.
    return segno.make(url, error="m").png_data_uri(scale=10, border=4)


def image_uri(field_file, what: str, max_px: int = PHOTO_MAX_PX) -> str:
    """A stored picture (through the storage API) as a JPEG data URI, or "" when there is none."""
    if not field_file:
        return ""
    from PIL import Image

    try:
        with field_file.open("rb") as stored, Image.open(stored) as image:
            image = image.convert("RGB")
            image.thumbnail((max_px, max_px))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=88)
    except (OSError, ValueError):
        logging.getLogger(__name__).warning("%s cannot be read", what)
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def head_photo_uri(unit) -> str:
    """The head's photo as a JPEG data URI, or "" (the sign then shows an empty frame to fill in)."""
    head = unit.head
    return image_uri(head.photo, f"photo of officer {head.pk}") if head is not None else ""


def complaint_url(plan: MeasurePlan) -> str:
    return site_url() + reverse("public-complaint", args=[plan.unit.slug])


def _context(kind: str, plan: MeasurePlan) -> dict:
    unit, head = plan.unit, plan.unit.head
    reason = refusal(kind, plan)
    if reason:
        raise SignError(reason)
    context = {"plan": plan, "unit": unit, "head": head, "fiscal_year": plan.fiscal_year,
               "fiscal_year_th": thaidate.to_thai_digits(plan.fiscal_year) if plan.thai_digits else plan.fiscal_year,
               "emblem": image_uri(unit.emblem, f"emblem of unit {unit.pk}", max_px=400)}
    if kind in (kinds.SIGN_NO_GIFT_TH, kinds.SIGN_NO_GIFT_EN):
        context.update(photo=head_photo_uri(unit), unit_url=unit_url(plan), unit_qr=qr_data_uri(unit_url(plan)),
                       statement_th=plan.no_gift_text_th or NO_GIFT_TH.format(unit=unit.name_th),
                       statement_en=plan.no_gift_text_en or NO_GIFT_EN.format(unit=unit.name_en or unit.name_th))
    elif kind == kinds.SIGN_MANUAL:
        url = manual_url(plan)
        context.update(url=url, qr=qr_data_uri(url))
    elif kind == kinds.SIGN_EIT:
        context.update(url=plan.eit_survey_url, qr=qr_data_uri(plan.eit_survey_url))
    elif kind == kinds.SIGN_COMPLAINT:
        url = complaint_url(plan)
        context.update(url=url, qr=qr_data_uri(url), track_url=site_url() + reverse("public-complaint-track",
                                                                                     args=[unit.slug]))
    return context


TEMPLATES = {
    kinds.SIGN_NO_GIFT_TH: "measures/signs/no_gift_th.html",
    kinds.SIGN_NO_GIFT_EN: "measures/signs/no_gift_en.html",
    kinds.SIGN_MANUAL: "measures/signs/manual.html",
    kinds.SIGN_EIT: "measures/signs/eit.html",
    kinds.SIGN_COMPLAINT: "measures/signs/complaint.html",
}


def html(kind: str, plan: MeasurePlan) -> str:
    context = _context(kind, plan)
    context.update(font_faces=thai_fonts.font_face_css(), font_family=thai_fonts.font_family_css())
    return render_to_string(TEMPLATES[kind], context)


def render(kind: str, plan: MeasurePlan) -> bytes:
    HTML = weasyprint_html()  # reports.renderers.pdf also quietens WeasyPrint's logging
    # Archivable and tagged like every document we make (reports.renderers.pdf.render): a sign is
    # filed with the unit's ITA evidence, and its text is what a screen reader gets.
    return HTML(string=html(kind, plan)).write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, finisher=thai_fonts.fix_to_unicode)


def file_name(kind: str, plan: MeasurePlan) -> str:
    unit = plan.unit
    names = {
        kinds.SIGN_NO_GIFT_TH: f"ป้าย No Gift Policy {unit.short_name_th or unit.name_th}",
        kinds.SIGN_NO_GIFT_EN: f"No Gift Policy sign {unit.short_name_en or unit.slug}",
        kinds.SIGN_MANUAL: f"ป้าย Download คู่มือการให้บริการ {unit.short_name_th or unit.name_th}",
        kinds.SIGN_EIT: f"ป้ายแบบวัด EIT {unit.short_name_th or unit.name_th} {plan.fiscal_year}",
        kinds.SIGN_COMPLAINT: f"ป้ายสแกนแจ้งเรื่องร้องเรียน {unit.short_name_th or unit.name_th}",
    }
    return names[kind] + ".pdf"
