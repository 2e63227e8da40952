"""An error summary at the top of a form: every message, each linking to its field."""

from django import template
from django.forms.forms import NON_FIELD_ERRORS

register = template.Library()


def _forms(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _forms(item)
        elif not hasattr(item, "errors"):
            continue
        elif hasattr(item, "forms"):  # a formset: its own errors, then each row's
            yield item
            yield from item.forms
        else:
            yield item


def summary(*items) -> list[dict]:
    found = []
    for form in _forms(items):
        if hasattr(form, "non_form_errors"):
            found += [{"id": "", "label": "", "message": m} for m in form.non_form_errors()]
            continue
        for name, messages in form.errors.items():
            if name == NON_FIELD_ERRORS or name not in form.fields:
                found += [{"id": "", "label": "", "message": m} for m in messages]
                continue
            bound = form[name]
            found += [{"id": bound.id_for_label, "label": bound.label, "message": m} for m in messages]
    return found


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms, extra=None):
    """`extra`: messages of the page itself (e.g. checks across forms), shown first."""
    return {"errors": [{"id": "", "label": "", "message": m} for m in (extra or [])] + summary(*forms)}
