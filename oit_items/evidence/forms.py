from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.forms import BuddhistDateField, MultipleFileField, NamedFileField
from oit_items.evidence.models import Evidence


class EvidenceMetaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False,
                            help_text=_("Leave empty to use the file name."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    about_date = BuddhistDateField(label=_("Date the evidence is about"))
    language = forms.ChoiceField(label=_("Language"), choices=Evidence.LANGUAGES, initial="th")
    is_news = forms.BooleanField(label=_("This is a news item (with photos and captions)"), required=False)


class UploadForm(EvidenceMetaForm):
    files = MultipleFileField(label=_("Files (PDF, Word, Excel, images)"))
    field_order = ["files", "title", "description", "about_date", "language", "is_news"]


class LinkForm(EvidenceMetaForm):
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")
    field_order = ["url", "title", "description", "about_date", "language", "is_news"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["title"].help_text = _("e.g. the name of the news post or e-service")


class NoneForm(forms.Form):
    reason = forms.CharField(label=_("Why there is nothing this period"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("e.g. no procurement this month, no complaints received"))
    about_date = BuddhistDateField(label=_("Date of the declaration"))


class VersionedForm(forms.Form):
    """Carries the evidence's version the page was opened at (see evidence.Conflict)."""

    # Required: a change sent without the version it was made from could overwrite (or remove) what
    # someone else saved meanwhile, unseen. The portal's own forms always carry it.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={
        "required": _("This page did not say which version of the evidence it was opened at, so nothing was "
                      "changed. Open the evidence again and repeat the change."),
        "invalid": _("This page did not say which version of the evidence it was opened at, so nothing was "
                     "changed. Open the evidence again and repeat the change."),
    })

    def clean(self):
        # A hidden field's error would show nowhere: it is the whole form's.
        if "version" in self.errors:
            for message in self.errors.pop("version"):
                self.add_error(None, message)
        return super().clean()


class EditForm(VersionedForm, EvidenceMetaForm):
    pass


class ReplaceForm(VersionedForm):
    file = NamedFileField(label=_("New version of the file"))


class RemoveForm(VersionedForm):
    reason = forms.CharField(label=_("Why remove it"), max_length=500, required=False)


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override = forms.CharField(label=_("Why pass it although the automatic checks fail"), max_length=1000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    expected = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class TakedownForm(forms.Form):
    reason = forms.CharField(label=_("Why it is taken down"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("e.g. the file shows personal data; kept in the audit log"))
    scope = forms.ChoiceField(label=_("What to take down"), widget=forms.RadioSelect, choices=[
        ("files", _("Only the files I tick below")), ("period", _("Everything published for this period"))],
        initial="files")
    evidence = forms.TypedMultipleChoiceField(label=_("Published evidence"), coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(e["evidence"], e["original_name"] or e["title"]) for e in entries]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "files" and not data.get("evidence"):
            self.add_error("evidence", _("Tick the files to take down, or choose everything published for this period."))
        return data
