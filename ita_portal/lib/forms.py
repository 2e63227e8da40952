"""Form fields for the Thai calendar: a BE year or date, in Arabic or Thai digits.

A year that looks like a CE year is refused with a message, never converted by guesswork.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidate


def parse_era(field, parse, value):
    """`parse(value)` with the field's messages: a year that looks Christian Era is refused, naming the
    Buddhist Era year it probably means; anything else unreadable is "invalid"."""
    try:
        return parse(value)
    except thaidate.AmbiguousYear as exc:
        year = exc.args[0]
        raise forms.ValidationError(field.error_messages["ce_year"], code="ce_year", params={"year": year, "be": year + 543})
    except ValueError:
        raise forms.ValidationError(field.error_messages["invalid"], code="invalid")


class BuddhistYearField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter a Buddhist Era year of four digits, e.g. 2567."),
        "ce_year": _("%(year)s looks like a Christian Era year. Enter the Buddhist Era year (%(be)s)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_era(self, thaidate.parse_be_year, value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "placeholder": "2567"})
        return attrs


class BuddhistDateInput(forms.TextInput):
    """Shows a stored date back as d/m/BBBB so that editing never flips the era."""

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day}/{value.month}/{thaidate.be_year(value.year)}"
        return super().format_value(value)


class BuddhistDateField(forms.DateField):
    widget = BuddhistDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/Buddhist Era year, e.g. 1/3/2567."),
        "ce_year": _("%(year)s looks like a Christian Era year. Enter the Buddhist Era year (%(be)s)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        return parse_era(self, thaidate.parse_thai_date, value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("placeholder", "1/3/2567")
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class NamedFileField(forms.FileField):
    """A file field whose refusal of an empty file names it: with several files chosen at once, Django's
    own "The submitted file is empty." does not say which one."""

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "name", None) and not getattr(data, "size", 1):
            raise forms.ValidationError(_("%(name)s is empty (0 bytes)."), code="empty", params={"name": data.name})
        return super().to_python(data)


class MultipleFileField(NamedFileField):
    """Several files in one upload (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "multiple": True, "accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []
