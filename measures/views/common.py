from django.http import Http404
from django.utils import timezone

from ita_portal.lib import thaidate
from ita_portal.lib.uploads import UploadRejected, check_name

# Fiscal years a URL may name (BE): anything else is a typo or a probe.
YEARS = range(2560, 2700)


def check_year(fiscal_year: int) -> None:
    if fiscal_year not in YEARS:
        raise Http404


def current_fiscal_year() -> int:
    return thaidate.fiscal_year(timezone.localdate())


def refuse_unsafe_names(request, form, field: str) -> None:
    """Names Django had to cut down (paths like ../x.jpg) are refused, not silently changed."""
    for name in getattr(request, "unsafe_upload_names", []):
        try:
            check_name(name)
        except UploadRejected as rejected:
            form.add_error(field, rejected.message)


def base_context(unit, plan, rights, fiscal_year, section: str) -> dict:
    return {"unit": unit, "plan": plan, "rights": rights, "fiscal_year": fiscal_year, "section": section,
            "today": timezone.localdate()}
