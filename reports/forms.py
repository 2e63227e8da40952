"""Data entry: one page per dataset and month, made for phones (fields stacked, rows as cards).

Each dataset has an Editor that builds its forms and formsets, validates them together and saves
them in one transaction. A read-only editor (for viewers) disables every field and adds no blank rows.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.forms import inlineformset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import stored, thaidate, uploads
from ita_portal.lib.forms import BuddhistDateField, MultipleFileField
from reports import statistics
from reports.models import (
    Activity,
    Announcement,
    Bid,
    BudgetLine,
    BudgetMonth,
    BudgetPlan,
    BudgetSpending,
    FundMonth,
    FundSpending,
    OperationsReport,
    Photo,
    ProcurementMonth,
    Purchase,
    StatisticsReport,
)
from units.models import LineOfWork


class MoneyField(forms.DecimalField):
    """Baht as typed by people: "1,234.50", "๑,๒๓๔.๕๐", "1234.5 บาท"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = thaidate.from_thai_digits(value).replace(",", "").replace("บาท", "").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        return f"{value:,.2f}" if isinstance(value, Decimal) else value


class ThaiModelForm(forms.ModelForm):
    """Model forms with BE dates and baht fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField) and not isinstance(field, BuddhistDateField):
                self.fields[name] = BuddhistDateField(label=field.label, required=field.required)
            elif isinstance(field, forms.DecimalField) and not isinstance(field, MoneyField):
                self.fields[name] = MoneyField(label=field.label, required=field.required)


def _rows(attrs=2):
    return forms.Textarea(attrs={"rows": attrs})


# --- operations ---------------------------------------------------------------------------------

class OperationsForm(ThaiModelForm):
    class Meta:
        model = OperationsReport
        fields = ["summary"]
        widgets = {"summary": _rows(3)}


class ActivityForm(ThaiModelForm):
    class Meta:
        model = Activity
        fields = ["date_from", "date_to", "description", "line_of_work", "responsible"]
        widgets = {"description": _rows(3)}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line_of_work"].queryset = LineOfWork.objects.filter(unit_type_id=unit.unit_type_id)
        self.fields["date_to"].help_text = _("Only for activities over several days.")

    def clean(self):
        data = super().clean()
        if data.get("date_to") and data.get("date_from") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class NewPhotosForm(forms.Form):
    photos = MultipleFileField(label=_("Add photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/*"

    def clean_photos(self):
        validated = []
        for uploaded in self.cleaned_data["photos"]:
            try:
                checked = uploads.validate_upload(uploaded)
            except uploads.UploadRejected as rejected:
                raise forms.ValidationError(rejected.message)
            if checked.format != "image":
                raise forms.ValidationError(_("“%(name)s” is not a photo (JPEG, PNG or WebP).") % {"name": uploaded.name})
            validated.append(checked)
        return validated


# --- statistics ---------------------------------------------------------------------------------

class StatisticsForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=_rows())

    def __init__(self, *args, tables=(), report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tables = tables
        for table in tables:
            for row, column, key in table.cells():
                self.fields[self.field_name(key)] = forms.IntegerField(
                    label=f"{row} · {column}", min_value=0, required=False,
                    initial=report.counts.get(key, 0) if report else 0,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))
        if report:
            self.fields["note"].initial = report.note

    @staticmethod
    def field_name(key: str) -> str:
        return "n__" + key.replace(".", "__")

    def grid(self):
        """(table, [(row label, [bound fields])]) for the template."""
        for table in self.tables:
            yield table, [(row, [self[self.field_name(f"{table.key}.{row.key}.{c.key}")] for c in table.columns])
                          for row in table.rows]

    def counts(self) -> dict:
        return {key: self.cleaned_data.get(self.field_name(key)) or 0
                for table in self.tables for _row, _column, key in table.cells()}


# --- budget ---------------------------------------------------------------------------------------

class BudgetMonthForm(ThaiModelForm):
    class Meta:
        model = BudgetMonth
        fields = ["problems", "suggestions"]
        widgets = {"problems": _rows(3), "suggestions": _rows(2)}


class BudgetLineForm(ThaiModelForm):
    spent = MoneyField(label=_("Spent this month (baht)"), required=False)

    class Meta:
        model = BudgetLine
        fields = ["source", "description", "planned"]

    def __init__(self, *args, spent_by_line=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and spent_by_line:
            self.fields["spent"].initial = spent_by_line.get(self.instance.pk)


# --- investigation fund ---------------------------------------------------------------------------

class FundMonthForm(ThaiModelForm):
    class Meta:
        model = FundMonth
        fields = ["allocated", "note"]
        widgets = {"note": _rows()}


class FundSpendingForm(ThaiModelForm):
    class Meta:
        model = FundSpending
        fields = ["date", "description", "amount"]


# --- procurement ----------------------------------------------------------------------------------

class ProcurementMonthForm(ThaiModelForm):
    class Meta:
        model = ProcurementMonth
        fields = ["no_procurement", "note"]
        widgets = {"note": _rows()}


_BID_LINE = re.compile(r"^(?P<bidder>.+?)[\s,:|/]+(?P<price>[0-9][0-9,]*(?:\.[0-9]{1,2})?)\s*(?:บาท|baht)?\.?$", re.I)


def parse_bids(text: str) -> list[tuple[str, Decimal]]:
    """One bidder a line, the price last: "บริษัท ตัวอย่าง จำกัด 12,500.00 บาท"."""
    bids = []
    for number, line in enumerate(thaidate.from_thai_digits(text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _BID_LINE.match(line)
        try:
            price = Decimal(match.group("price").replace(",", "")) if match else None
        except InvalidOperation:
            price = None
        if price is None:
            raise forms.ValidationError(_("Line %(number)s: write the bidder, then the price, e.g. "
                                          "“บริษัท ตัวอย่าง จำกัด 12,500.00”.") % {"number": number})
        bids.append((match.group("bidder").strip(), price))
    return bids


class PurchaseForm(ThaiModelForm):
    bids_text = forms.CharField(label=_("Bidders and prices offered"), required=False, widget=_rows(3),
                                help_text=_("One bidder a line, the price last."))

    class Meta:
        model = Purchase
        fields = ["item", "budget", "reference_price", "method", "bids_text", "winner", "agreed_price", "reason",
                  "contract_number", "contract_date"]
        widgets = {"item": _rows(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["bids_text"].initial = "\n".join(f"{b.bidder} {b.price:,.2f}" for b in self.instance.bids.all())

    def clean_bids_text(self):
        return parse_bids(self.cleaned_data.get("bids_text", ""))


class AnnouncementForm(ThaiModelForm):
    url = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Announcement
        fields = ["kind", "title", "date", "url"]


# --- editors -----------------------------------------------------------------------------------------

def _deleted(form) -> bool:
    return bool(form.cleaned_data.get("DELETE"))


def _formset(model, parent, form, readonly, extra=2):
    return inlineformset_factory(parent, model, form=form, extra=0 if readonly else extra, can_delete=not readonly)


class Conflict(Exception):
    """The month's data was saved by someone else after this page was opened."""

    def __init__(self, rows):
        dated = [r for r in rows if getattr(r, "updated_at", None)]
        latest = max(dated, key=lambda r: r.updated_at) if dated else None
        self.at = latest.updated_at if latest else None
        officer = getattr(latest.updated_by, "officer", None) if latest and latest.updated_by else None
        self.by = officer.display_name if officer else (latest.updated_by.username if latest and latest.updated_by else "")
        super().__init__("conflict")


PART_LABELS = {"activities": _("Activity"), "photos": _("Photo"), "lines": _("Budget line"), "spending": _("Spending"),
               "purchases": _("Purchase"), "announcements": _("Announcement")}


def _shown(field, value) -> str:
    """A saved value as the form would show it, for "what changed" messages."""
    if value in (None, "", [], {}):
        return str(_("(empty)"))
    if isinstance(field, forms.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, forms.ModelChoiceField):
        found = field.queryset.filter(pk=getattr(value, "pk", value)).first()
        return str(found) if found else str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    shown = field.widget.format_value(field.prepare_value(value))
    return str(shown if shown not in (None, "") else value)


class Editor:
    """A dataset's page for one month. `guarded()` names the rows whose `version` protects the page
    from lost updates: `save(user, token)` locks them (creating them, blank, if they are new),
    and refuses with Conflict if any was saved since `token` was read."""

    template = ""

    def __init__(self, unit, month, item, data=None, files=None, readonly=False):
        self.unit, self.month, self.item, self.readonly = unit, month, item, readonly
        self.data, self.files = (None, None) if readonly else (data, files)
        self.errors: list = []
        self.build()
        if readonly:
            for form in self.all_forms():
                for field in form.fields.values():
                    field.disabled = True

    def build(self):
        raise NotImplementedError

    def parts(self) -> list:
        """The forms and formsets of the page."""
        raise NotImplementedError

    def guarded(self) -> list:
        """[(model, lookup, instance of this page or None)] — the rows that carry the version."""
        raise NotImplementedError

    def all_forms(self):
        for part in self.parts():
            yield from getattr(part, "forms", [part])

    def clean(self):
        """Checks across forms; add messages to self.errors."""

    def is_valid(self) -> bool:
        valid = all(part.is_valid() for part in self.parts())
        if valid:
            self.clean()
        return valid and not self.errors

    @property
    def version_token(self) -> str:
        return ".".join(str(instance.version if instance is not None else 0) for _m, _l, instance in self.guarded())

    def save(self, user, token: str | None = None) -> None:
        with stored.atomic():
            rows = []
            for model, lookup, _instance in self.guarded():
                model.objects.bulk_create([model(**lookup)], ignore_conflicts=True)  # the first save of a month
                rows.append(model.objects.select_for_update().get(**lookup))
            if token is not None and token != ".".join(str(r.version) for r in rows):
                raise Conflict(rows)
            for (model, _lookup, instance), row in zip(self.guarded(), rows):
                if instance is not None:
                    instance.pk, instance._state.adding = row.pk, False
                    instance.version = row.version + 1
            self.rows = rows
            self.write(user)

    def write(self, user):
        raise NotImplementedError

    def differences(self) -> list[str]:
        """Where the data saved now differs from what this user typed (after a Conflict: built again)."""
        found = []
        for part in self.parts():
            rows = getattr(part, "forms", None)
            for number, form in enumerate(rows if rows is not None else [part], start=1):
                instance = getattr(form, "instance", None)
                if rows is not None and (instance is None or instance.pk is None):
                    continue  # a new row of this user's: nothing saved to compare with
                for name in form.changed_data:
                    if name in ("DELETE", "id", "photos") or name not in form.fields:
                        continue
                    field = form.fields[name]
                    where = f"{PART_LABELS.get(part.prefix, '')} {number} · " if rows is not None else ""
                    found.append(f"{where}{field.label}: “{_shown(field, form.get_initial_for_field(field, name))}”")
        return found

    def _stamp(self, instance, user):
        instance.updated_by = user
        instance.save()
        return instance


class OperationsEditor(Editor):
    template = "reports/forms/operations.html"

    def build(self):
        self.report = (OperationsReport.objects.filter(unit=self.unit, month=self.month).first()
                       or OperationsReport(unit=self.unit, month=self.month))
        self.form = OperationsForm(self.data, instance=self.report)
        self.activities = _formset(Activity, OperationsReport, ActivityForm, self.readonly)(
            self.data, instance=self.report, prefix="activities", form_kwargs={"unit": self.unit})
        existing = self.report.photos.all() if self.report.pk else Photo.objects.none()
        self.photos = modelformset_factory(Photo, fields=["caption"], extra=0, can_delete=not self.readonly)(
            self.data, queryset=existing, prefix="photos")
        self.new_photos = NewPhotosForm(self.data, self.files)
        rule = next((r for r in self.item.rules if r["type"] == "min_count" and r["kind"] == "photo"), None)
        self.min_photos = rule["count"] if rule else 0

    def parts(self):
        return [self.form, self.activities, self.photos, self.new_photos]

    def guarded(self):
        return [(OperationsReport, {"unit": self.unit, "month": self.month}, self.report)]

    def clean(self):
        kept = sum(1 for f in self.photos.forms if f.instance.pk and not _deleted(f))
        found = kept + len(self.new_photos.cleaned_data["photos"])
        if found < self.min_photos:
            self.errors.append(_("At least %(count)s photos of the month's activities are required (there are "
                                 "%(found)s).") % {"count": self.min_photos, "found": found})

    def write(self, user):
        report = self._stamp(self.form.save(commit=False), user)
        self.activities.instance = report
        self.activities.save()
        for form in self.photos.deleted_forms:  # the files go once the deletion is committed
            for stored_file in (form.instance.file, form.instance.thumbnail):
                if stored_file:
                    transaction.on_commit(lambda name=stored_file.name, storage=stored_file.storage: storage.delete(name))
        self.photos.save()
        for validated in self.new_photos.cleaned_data["photos"]:
            store_photo(report, validated)


def store_photo(report, validated):
    """Inside stored.atomic(): the files go again if the transaction does not commit."""
    photo = Photo(report=report, caption=validated.original_name.rsplit(".", 1)[0][:300],
                  original_name=validated.original_name, extension=validated.extension,
                  content_type=validated.content_type, sha256=validated.sha256)
    stored.store(photo, validated)
    photo.save()
    return photo


class StatisticsEditor(Editor):
    template = "reports/forms/statistics.html"

    def build(self):
        self.report = StatisticsReport.objects.filter(unit=self.unit, month=self.month).first()
        self.form = StatisticsForm(self.data, tables=statistics.tables_for(self.unit.unit_type.code), report=self.report)

    def parts(self):
        return [self.form]

    def guarded(self):
        return [(StatisticsReport, {"unit": self.unit, "month": self.month}, self.report)]

    def write(self, user):
        report = self.rows[0]
        report.counts, report.note = self.form.counts(), self.form.cleaned_data["note"]
        report.version += 1
        self._stamp(report, user)


class BudgetEditor(Editor):
    template = "reports/forms/budget.html"

    def build(self):
        fiscal_year = thaidate.fiscal_year(self.month)
        self.plan = (BudgetPlan.objects.filter(unit=self.unit, fiscal_year=fiscal_year).first()
                     or BudgetPlan(unit=self.unit, fiscal_year=fiscal_year))
        self.notes = (BudgetMonth.objects.filter(unit=self.unit, month=self.month).first()
                      or BudgetMonth(unit=self.unit, month=self.month))
        self.form = BudgetMonthForm(self.data, instance=self.notes)
        spent = (dict(BudgetSpending.objects.filter(line__plan=self.plan, month=self.month).values_list("line_id", "amount"))
                 if self.plan.pk else {})
        self.lines = _formset(BudgetLine, BudgetPlan, BudgetLineForm, self.readonly)(
            self.data, instance=self.plan, prefix="lines", form_kwargs={"spent_by_line": spent})

    def parts(self):
        return [self.form, self.lines]

    def guarded(self):
        return [(BudgetPlan, {"unit": self.unit, "fiscal_year": self.plan.fiscal_year}, self.plan),
                (BudgetMonth, {"unit": self.unit, "month": self.month}, self.notes)]

    def write(self, user):
        self.plan.save()
        self._stamp(self.form.save(commit=False), user)
        self.lines.instance = self.plan
        self.lines.save()
        for form in self.lines.forms:
            line = form.instance
            if form in self.lines.deleted_forms or line.pk is None or not form.has_changed():
                continue
            amount = form.cleaned_data.get("spent")
            if amount is None:
                BudgetSpending.objects.filter(line=line, month=self.month).delete()
            else:
                BudgetSpending.objects.update_or_create(line=line, month=self.month, defaults={"amount": amount})


class FundEditor(Editor):
    template = "reports/forms/fund.html"

    def build(self):
        self.fund = (FundMonth.objects.filter(unit=self.unit, month=self.month).first()
                     or FundMonth(unit=self.unit, month=self.month))
        self.form = FundMonthForm(self.data, instance=self.fund)
        self.spending = _formset(FundSpending, FundMonth, FundSpendingForm, self.readonly)(
            self.data, instance=self.fund, prefix="spending")

    def parts(self):
        return [self.form, self.spending]

    def guarded(self):
        return [(FundMonth, {"unit": self.unit, "month": self.month}, self.fund)]

    def write(self, user):
        fund = self._stamp(self.form.save(commit=False), user)
        self.spending.instance = fund
        self.spending.save()


class ProcurementEditor(Editor):
    template = "reports/forms/procurement.html"

    def build(self):
        self.procurement = (ProcurementMonth.objects.filter(unit=self.unit, month=self.month).first()
                            or ProcurementMonth(unit=self.unit, month=self.month))
        self.form = ProcurementMonthForm(self.data, instance=self.procurement)
        self.purchases = _formset(Purchase, ProcurementMonth, PurchaseForm, self.readonly, extra=1)(
            self.data, instance=self.procurement, prefix="purchases")
        self.announcements = _formset(Announcement, ProcurementMonth, AnnouncementForm, self.readonly, extra=1)(
            self.data, instance=self.procurement, prefix="announcements")

    def parts(self):
        return [self.form, self.purchases, self.announcements]

    @staticmethod
    def _kept(formset) -> int:
        return sum(1 for f in formset.forms if (f.has_changed() or f.instance.pk) and not _deleted(f))

    def clean(self):
        if self.form.cleaned_data["no_procurement"] and (self._kept(self.purchases) or self._kept(self.announcements)):
            self.errors.append(_("You declared that there was no procurement this month: remove the purchases and "
                                 "announcements, or untick the box."))

    def guarded(self):
        return [(ProcurementMonth, {"unit": self.unit, "month": self.month}, self.procurement)]

    def write(self, user):
        procurement = self._stamp(self.form.save(commit=False), user)
        for formset in (self.purchases, self.announcements):
            formset.instance = procurement
            formset.save()
        for form in self.purchases.forms:
            if form in self.purchases.deleted_forms or form.instance.pk is None or not form.has_changed():
                continue
            form.instance.bids.all().delete()
            Bid.objects.bulk_create(Bid(purchase=form.instance, bidder=bidder, price=price)
                                    for bidder, price in form.cleaned_data["bids_text"])


EDITORS = {"operations": OperationsEditor, "statistics": StatisticsEditor, "budget": BudgetEditor,
           "fund": FundEditor, "procurement": ProcurementEditor}
