import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.forms import BuddhistDateField, MultipleFileField, MultipleFileInput
from measures import briefing
from measures.models import Activity, BriefingPhoto, CalendarPhase, Measure, MeasurePlan, SurveyQuota, Tracked
from oit_items.rulebook.models import Item
from units.models import LineOfWork, Officer

TEXTAREA = {"rows": 3}


class UnitOfficersMixin:
    """Officer choices limited to the unit's serving officers (and those already linked)."""

    officer_fields = ("responsible", "controllers")

    def limit_officers(self, unit):
        officers = Officer.objects.filter(unit=unit).order_by("-is_active", "first_name")
        for name in self.officer_fields:
            if name in self.fields:
                self.fields[name].widget = forms.CheckboxSelectMultiple()  # before the queryset, which sets its choices
                self.fields[name].queryset = officers
                self.fields[name].required = False
                self.fields[name].label_from_instance = lambda o: o.display_name


def new_key(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class PlanForm(forms.ModelForm):
    eit_survey_url = forms.URLField(label=_("EIT survey address"), max_length=500, required=False, assume_scheme="https",
                                    help_text=MeasurePlan._meta.get_field("eit_survey_url").help_text)
    briefing_date = BuddhistDateField(label=_("date of the head's briefing"), required=False)
    order_date = BuddhistDateField(label=_("order date"), required=False)
    class Meta:
        model = MeasurePlan
        fields = ["title", "thai_digits", "eit_survey_url", "introduction",
                  "briefing_heading", "briefing_date", "briefing_place", "briefing_chair", "briefing_chair_officer",
                  "briefing_title", "briefing_purpose", "briefing_follow_up", "order_title", "order_number", "order_date",
                  "analysis_heading", "analysis_intro", "measures_heading", "measures_intro", "guidelines_heading",
                  "oss_heading", "oit_heading", "oit_items_label", "website_label", "monitoring_label",
                  "activities_heading", "calendar_heading", "print_calendar", "closing_note", "signature",
                  "no_gift_text_th", "no_gift_text_en"]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in (
            "introduction", "briefing_heading", "briefing_title", "briefing_purpose", "briefing_follow_up",
            "order_title", "analysis_heading", "analysis_intro", "measures_heading", "measures_intro",
            "guidelines_heading", "oss_heading", "oit_heading", "activities_heading", "calendar_heading",
            "closing_note", "signature", "no_gift_text_th", "no_gift_text_en")}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["briefing_chair_officer"].queryset = Officer.objects.filter(unit=unit, is_active=True)
        self.fields["briefing_chair_officer"].label_from_instance = lambda o: o.display_name
        # The briefing's photos, after its caption (briefing_title): new ones to add, the plan's own to remove.
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("briefing_title") + 1
        photos = self.instance.briefing_photos.all() if self.instance.pk else BriefingPhoto.objects.none()
        extra = [("briefing_photos", PhotoField(label=_("Photos of the briefing (JPEG, PNG, WebP)"), required=False,
                                                help_text=_("Printed under the briefing's caption at the end of the document."))),
                 ("briefing_photo_caption", forms.CharField(label=_("Caption of the new photos"), max_length=300,
                                                            required=False))]
        if photos:
            remove = forms.ModelMultipleChoiceField(label=_("Remove photos of the briefing"), queryset=photos,
                                                    required=False, widget=forms.CheckboxSelectMultiple)
            remove.label_from_instance = lambda p: f"{p.original_name} ({p.caption})" if p.caption else p.original_name
            extra.append(("remove_briefing_photos", remove))
        self.fields = dict(fields[:at] + extra + fields[at:])

    def clean_briefing_photos(self):
        photos = self.cleaned_data.get("briefing_photos") or []
        kept = self.instance.briefing_photos.count() if self.instance.pk else 0
        if kept + len(photos) > briefing.MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(count)d photos of the briefing.") % {"count": briefing.MAX_PHOTOS})
        return photos


class EitLinkForm(forms.ModelForm):
    """The EIT survey address of one year, on its own: the unit's home page and the EIT sign show it."""

    eit_survey_url = forms.URLField(label=_("EIT survey address"), max_length=500, required=False, assume_scheme="https",
                                    help_text=_("The address of the unit's EIT survey for this fiscal year, as the NACC's "
                                                "ITAP system gives it. The unit's public home page shows it with a QR code."))

    class Meta:
        model = MeasurePlan
        fields = ["eit_survey_url"]


class TrackedForm(UnitOfficersMixin, forms.ModelForm):
    deadline = BuddhistDateField(label=_("deadline"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.limit_officers(plan.unit)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(TEXTAREA)


class MeasureForm(TrackedForm):
    class Meta:
        model = Measure
        fields = ["area", "kind", "code", "aspect", "points", "deadline", "deadline_note", "people",
                  "responsible", "controllers"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if code and not self.plan.unit.unit_type.frameworks.filter(
                fiscal_year=self.plan.fiscal_year, items__code=code).exists():
            raise forms.ValidationError(_("There is no OIT item %(code)s for this unit in this fiscal year.") % {"code": code})
        return code

    def save(self, commit=True):
        measure = super().save(commit=False)
        measure.plan = self.plan
        measure.key = measure.key or new_key(measure.area)
        measure.item = self._item(measure.code)
        if commit:
            measure.save()
            self.save_m2m()
        return measure

    def _item(self, code):
        return Item.objects.for_unit(self.plan.unit, self.plan.fiscal_year).filter(code=code).first() if code else None


class ActivityForm(TrackedForm):
    class Meta:
        model = Activity
        fields = ["indicator", "issue", "activity", "output", "communication", "deadline", "deadline_note",
                  "people", "responsible", "controllers", "follow_up"]

    def save(self, commit=True):
        activity = super().save(commit=False)
        activity.plan = self.plan
        activity.key = activity.key or new_key("activity")
        if commit:
            activity.save()
            self.save_m2m()
        return activity


class PhaseForm(TrackedForm):
    deadline = None
    starts = BuddhistDateField(label=_("from"))
    ends = BuddhistDateField(label=_("until"))

    class Meta:
        model = CalendarPhase
        fields = ["stage", "kind", "starts", "ends", "period_text", "step", "work", "people", "responsible", "controllers"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts") and cleaned.get("ends") and cleaned["ends"] < cleaned["starts"]:
            self.add_error("ends", _("The phase cannot end before it starts."))
        return cleaned

    def save(self, commit=True):
        phase = super().save(commit=False)
        phase.plan = self.plan
        phase.key = phase.key or new_key(phase.kind)
        if commit:
            phase.save()
            self.save_m2m()
        return phase


class QuotaForm(TrackedForm):
    deadline = None
    officer_fields = ("collectors",)

    class Meta:
        model = SurveyQuota
        fields = ["instrument", "line_of_work", "label", "minimum", "collector", "collectors", "note"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["line_of_work"].queryset = LineOfWork.objects.filter(unit_type_id=plan.unit.unit_type_id)

    def save(self, commit=True):
        quota = super().save(commit=False)
        quota.plan = self.plan
        quota.key = quota.key or new_key(quota.instrument)
        if commit:
            quota.save()
            self.save_m2m()
        return quota


class PhotoField(MultipleFileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": "image/*"}))
        super().__init__(*args, **kwargs)


class ProgressForm(forms.Form):
    date = BuddhistDateField(label=_("Date"))
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs=TEXTAREA))
    status = forms.ChoiceField(label=_("Status"), choices=Tracked.STATUSES)
    photos = PhotoField(label=_("Photos (JPEG, PNG, WebP)"), required=False)
    caption = forms.CharField(label=_("Caption of the photos"), max_length=300, required=False)


class CountForm(forms.Form):
    quota = forms.IntegerField(widget=forms.HiddenInput)
    date = BuddhistDateField(label=_("Date"))
    count = forms.IntegerField(label=_("Respondents so far"), min_value=0, max_value=1_000_000)
