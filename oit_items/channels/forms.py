"""Public forms: plain text (escaped wherever it is shown, so `ราคา <US$20` or
`Somchai <somchai@example.com>` is written as typed), a honeypot and a minimum fill time against
robots, and no bidirectional control characters (U+202E would reverse published text)."""

import re
import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.forms import MultipleFileField
from oit_items.channels.models import Complaint, Question

# Embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and the marks LRM, RLM and ALM.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
MIN_SECONDS = 3
SALT = "ita-public-form"


def plain_text(value: str) -> str:
    """Text as typed, less the characters that change how the text around them is displayed."""
    return BIDI_CONTROLS.sub("", value or "").strip()


class PublicForm(forms.Form):
    """Adds two hidden fields: `website` must stay empty (people never see it, robots fill it),
    and `started` carries a signed time so that a form sent back within seconds is refused."""

    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(widget=forms.HiddenInput)
    text_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=SALT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("The form could not be accepted. Please try again."), code="robot")
        try:
            started = signing.loads(self.data.get("started", ""), salt=SALT, max_age=24 * 3600)
        except signing.BadSignature:
            raise forms.ValidationError(_("The form has expired. Please fill it in again."), code="expired")
        if time.time() - started < MIN_SECONDS:
            raise forms.ValidationError(_("The form was sent too quickly. Please check it and send it again."), code="fast")
        for field in self.text_fields:
            if cleaned.get(field):
                cleaned[field] = plain_text(cleaned[field])
        return cleaned


class QuestionForm(PublicForm):
    name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail for the answer (optional)"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Your question or comment"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    text_fields = ("name", "subject", "text")
    field_order = ["name", "email", "subject", "text", "website", "started"]


class ComplaintForm(PublicForm):
    MAX_FILES = 3
    anonymous = forms.BooleanField(label=_("Send anonymously (no name or contact)"), required=False)
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=200, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("What happened: who, when, where"), max_length=5000, widget=forms.Textarea(attrs={"rows": 7}))
    attachments = MultipleFileField(label=_("Evidence files (optional: PDF, Word, Excel or photos, at most 3)"), required=False)
    text_fields = ("name", "contact", "subject", "text")
    field_order = ["anonymous", "name", "contact", "subject", "text", "attachments", "website", "started"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("anonymous"):
            cleaned["name"], cleaned["contact"] = "", ""
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)

    def clean_code(self):
        return re.sub(r"[^A-Z0-9]", "", self.cleaned_data["code"].upper())


class QuestionTrackForm(TrackForm):
    code = forms.CharField(label=_("Reference code"), max_length=20)


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["answer", "publish"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"answer": _("The person who asked sees the answer with the question's reference code; "
                                  "“show publicly” also puts it on the unit's questions page.")}


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Complaint.STATUSES)
    note = forms.CharField(label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    public_note = forms.CharField(label=_("Note the complainant sees with the code"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
