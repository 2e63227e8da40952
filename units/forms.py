from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import stored
from ita_portal.lib.forms import NamedFileField
from ita_portal.lib.uploads import UploadRejected, ValidatedFile, validate_upload
from units.models import LineOfWork, Officer, Unit

PHOTO_MAX_BYTES = 8 * 1024 * 1024


class ImageUploadField(NamedFileField):
    """A photo or emblem, checked by content like evidence (re-encoded without EXIF/GPS).

    A new picture cleans to its `ValidatedFile`, which `save_picture` stores; False means "clear"."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded or uploaded is initial or uploaded is False:
            return uploaded
        try:
            checked = validate_upload(uploaded, max_bytes=PHOTO_MAX_BYTES)
        except UploadRejected as rejected:
            raise forms.ValidationError(rejected.message)
        if checked.format != "image":
            raise forms.ValidationError(_("%(name)s is not a photo: choose a JPEG, PNG or WebP image.") % {"name": uploaded.name})
        return checked


def save_picture(form, name: str) -> None:
    """The picture field `name` onto the form's instance, inside stored.atomic(): a new picture is
    stored (and deleted again if the save does not commit), a cleared one emptied.

    The picture is left out of the form's Meta.fields so that Django does not write it by itself when
    the row is saved, out of reach of stored.atomic(); the form shows the current one as its initial."""
    picture = form.cleaned_data.get(name)
    if picture is False:
        setattr(form.instance, name, "")
    elif isinstance(picture, ValidatedFile):
        stored.store(form.instance, picture, file_field=name, thumbnail_field=None)


class DegreesField(forms.DecimalField):
    """Coordinates as maps copy them (up to 15 decimals), kept to six (about 10 cm)."""

    def __init__(self, limit, **kwargs):
        super().__init__(required=False, min_value=-limit, max_value=limit, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def to_python(self, value):
        number = super().to_python(value)
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) if number is not None else None


class UnitForm(forms.ModelForm):
    latitude = DegreesField(90, label=_("latitude"))
    longitude = DegreesField(180, label=_("longitude"))
    emblem = ImageUploadField(label=_("emblem"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https",
                             help_text=_("A full address, e.g. https://buengkum.metro.police.go.th"))

    class Meta:
        model = Unit
        fields = ["address", "phone", "email", "website", "latitude", "longitude"]  # and the emblem: save_picture
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("emblem", self.instance.emblem)
        self.fields["latitude"].help_text = _("Decimal degrees as a map gives them, e.g. 13.7856")

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.errors:
            self.add_error("longitude" if data.get("latitude") is not None else "latitude",
                           _("Give both latitude and longitude, or neither."))
        return data

    def save(self, commit=True):
        unit = super().save(commit=False)
        save_picture(self, "emblem")
        if commit:
            unit.save()
        return unit


class SocialLinkForm(forms.Form):
    label = forms.CharField(label=_("Channel"), max_length=60, required=False,
                            widget=forms.TextInput(attrs={"placeholder": "Facebook"}))
    url = forms.URLField(label=_("Address"), max_length=500, required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("label"):
            self.add_error("label", _("Name the channel, e.g. Facebook or LINE."))
        if data.get("label") and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Give the address of this channel."))
        return data


SocialLinkFormSet = forms.formset_factory(SocialLinkForm, extra=2, max_num=10)


def social_links_of(formset) -> list[dict]:
    return [{"label": f.cleaned_data["label"], "url": f.cleaned_data["url"]}
            for f in formset.forms if f.cleaned_data.get("url")]


class OfficerForm(forms.ModelForm):
    photo = ImageUploadField(label=_("photo"), required=False)
    aliases = forms.CharField(label=_("other spellings"), required=False,
                              help_text=_("Other ways documents write the name, separated by commas."))

    class Meta:
        model = Officer
        fields = ["rank", "is_female", "is_acting", "first_name", "last_name", "first_name_en", "last_name_en",
                  "position", "line_of_work", "phone", "email", "aliases"]  # and the photo: save_picture

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.initial.setdefault("photo", self.instance.photo)
        self.fields["line_of_work"].queryset = LineOfWork.objects.filter(unit_type_id=unit.unit_type_id)
        self.fields["rank"].help_text = _("Empty for civilians.")
        if self.instance.pk:
            self.initial["aliases"] = ", ".join(self.instance.aliases or [])

    def clean_aliases(self):
        return [a.strip() for a in self.cleaned_data["aliases"].replace(";", ",").split(",") if a.strip()]

    def save(self, commit=True):
        officer = super().save(commit=False)
        officer.unit = self.unit
        save_picture(self, "photo")
        if commit:
            officer.save()
        return officer


class ReassignForm(forms.Form):
    successor = forms.ModelChoiceField(queryset=Officer.objects.none(), label=_("Hand the items to"))
    retire = forms.BooleanField(required=False, initial=True, label=_("Mark the leaver as no longer serving in the unit"))
    revoke = forms.BooleanField(required=False, initial=True, label=_("Remove the leaver's roles on this unit"))

    def __init__(self, *args, leaver, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["successor"]
        field.queryset = (
            Officer.objects.filter(unit_id=leaver.unit_id, is_active=True).exclude(pk=leaver.pk).select_related("user")
        )
        field.label_from_instance = successor_label


def successor_label(officer) -> str:
    """Who has a login shows in the list: the work of a successor without one cannot be done."""
    if officer.user_id and officer.user.is_active:
        login = _("login %(username)s") % {"username": officer.user.username}
    else:
        login = _("no login yet")
    position = f" {officer.position}" if officer.position else ""
    return f"{officer.display_name}{position} — {login}"
