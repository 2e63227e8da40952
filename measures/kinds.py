"""The documents and signs the measures app produces through the render pipeline (reports.jobs):
one job per (kind, unit, fiscal year)."""

from django.utils.translation import gettext_lazy as _

MEASURES_DOCUMENT = "measures_document"
PROGRESS_REPORT = "progress_report"
SIGN_NO_GIFT_TH = "sign_no_gift_th"
SIGN_NO_GIFT_EN = "sign_no_gift_en"
SIGN_MANUAL = "sign_manual"
SIGN_EIT = "sign_eit"
SIGN_COMPLAINT = "sign_complaint"
KINDS = [
    (MEASURES_DOCUMENT, _("Integrity measures document")),
    (PROGRESS_REPORT, _("Report on the measures")),
    (SIGN_NO_GIFT_TH, _("No Gift Policy sign (Thai)")),
    (SIGN_NO_GIFT_EN, _("No Gift Policy sign (English)")),
    (SIGN_MANUAL, _("“Download the service manual” sign")),
    (SIGN_EIT, _("EIT survey sign")),
    (SIGN_COMPLAINT, _("“Scan to complain” sign")),
]
LABELS = dict(KINDS)
DOCUMENTS = (MEASURES_DOCUMENT, PROGRESS_REPORT)
SIGNS = (SIGN_NO_GIFT_TH, SIGN_NO_GIFT_EN, SIGN_MANUAL, SIGN_EIT, SIGN_COMPLAINT)
