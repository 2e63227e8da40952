"""The framework editor's item form: the fields of a data file's item, checked by the loader."""

import yaml
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oit_items.rulebook import loading

TEXTAREA = {"rows": 4}


def sub_requirements_text(entries) -> str:
    return "\n".join(f"{e.get('th', '')} | {e.get('en', '')}".rstrip(" |") for e in entries or [])


def rules_text(rules) -> str:
    return yaml.safe_dump(rules or [], allow_unicode=True, sort_keys=False, default_flow_style=None) if rules else ""


class ItemForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=8, help_text=gettext_lazy("O and a number, e.g. O26."))
    topic = forms.SlugField(label=gettext_lazy("Topic"), max_length=40, required=False,
                            help_text=gettext_lazy("The same key across unit types, e.g. complaints (see the frameworks README)."))
    title_th = forms.CharField(label=gettext_lazy("Thai title"), max_length=300, required=False)
    title_en = forms.CharField(label=gettext_lazy("English title"), max_length=300, required=False)
    guidance_th = forms.CharField(label=gettext_lazy("guidance (Thai)"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    guidance_en = forms.CharField(label=gettext_lazy("guidance (English)"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    sub_requirements = forms.CharField(
        label=gettext_lazy("sub-requirements"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=gettext_lazy("One per line: the Thai text, then | and the English text."))
    rules = forms.CharField(
        label=gettext_lazy("rules"), widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace", "spellcheck": "false"}),
        required=False, help_text=gettext_lazy("Machine-checkable rules in the data files' YAML, e.g. "
                                               "- {type: formats, all_of: [[pdf], [docx]]}. Closed set: periods, formats, "
                                               "languages, min_count, links, about_date."))

    def __init__(self, *args, entry=None, taken=(), **kwargs):
        self.entry, self.taken = entry, set(taken)
        if entry is not None:
            kwargs.setdefault("initial", {**entry, "sub_requirements": sub_requirements_text(entry.get("sub_requirements")),
                                          "rules": rules_text(entry.get("rules"))})
        super().__init__(*args, **kwargs)
        if entry is not None:
            self.fields["code"].disabled = True

    def clean_sub_requirements(self):
        entries = []
        for line in self.cleaned_data["sub_requirements"].splitlines():
            if line.strip():
                th, _sep, en = line.partition("|")
                entries.append({"th": th.strip(), "en": en.strip()})
        return entries

    def clean_rules(self):
        text = self.cleaned_data["rules"]
        try:
            rules = yaml.safe_load(text) if text.strip() else []
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise forms.ValidationError(_("This is not YAML the loader can read (line %(line)s).")
                                        % {"line": mark.line + 1 if mark else "?"})
        return rules

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        code = data["code"].strip().upper()
        if self.entry is None and code in self.taken:
            self.add_error("code", _("The framework already has an item %(code)s.") % {"code": code})
        entry = {**(self.entry or {"seed_title": "", "retired": False}), **data, "code": code}
        for name, message in loading.check_item(entry).items():  # the loader's own checks, rules included
            self.add_error(name if name in self.fields else None, message)
        self.cleaned_entry = entry
        return data


class PublishForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note to the units"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    final = forms.BooleanField(label=gettext_lazy("These are the criteria the NACC published for this year"), required=False)
