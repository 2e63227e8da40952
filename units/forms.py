from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Officer


class ReassignForm(forms.Form):
    successor = forms.ModelChoiceField(queryset=Officer.objects.none(), label=_("Hand the items to"))
    retire = forms.BooleanField(required=False, initial=True, label=_("Mark the leaver as no longer serving in the unit"))

    def __init__(self, *args, leaver, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = (
            Officer.objects.filter(unit_id=leaver.unit_id, is_active=True).exclude(pk=leaver.pk)
        )
