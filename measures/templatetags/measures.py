"""`{% load measures %}`: the unit's place in the ITA calendar, for the workspace and the measures
pages.

    {% include "measures/partials/calendar_status.html" with unit=unit fiscal_year=2567 %}
    {% calendar_status unit fiscal_year %}          (the same, as an inclusion tag)
"""

from django import template

from measures import schedule

register = template.Library()


@register.simple_tag
def measures_calendar_status(unit, fiscal_year):
    """The CalendarStatus of `unit` in `fiscal_year` today (two queries)."""
    return schedule.calendar_status(unit, int(fiscal_year))


@register.inclusion_tag("measures/partials/calendar_status.html")
def calendar_status(unit, fiscal_year):
    return {"unit": unit, "fiscal_year": fiscal_year}
