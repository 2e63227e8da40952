"""What the measures add to a unit's public home page (registered in MeasuresConfig.ready())."""

from measures.models import MeasurePlan
from oit_items.public import catalogue


def eit_survey(unit) -> dict | None:
    """The newest EIT survey address the unit set ({"fiscal_year", "url"}), for its home page.
    (The measures keep it, beside the EIT quotas.)"""
    plan = (MeasurePlan.objects.filter(unit=unit).exclude(eit_survey_url="").order_by("-fiscal_year")
            .values("fiscal_year", "eit_survey_url").first())
    if plan is None:
        return None
    return {"fiscal_year": plan["fiscal_year"], "url": plan["eit_survey_url"],
            "qr": catalogue.qr_svg_data_uri(plan["eit_survey_url"])}
