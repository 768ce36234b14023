"""The form kit every web area builds on: one base form (Bootstrap classes, `is-invalid` on fields
with errors, optional fieldset layout), the amount and date fields (the pickers are in pickers.py),
and the one way a service's refusal reaches a form (`run_service`, `attach_errors`).

Forms check types and sizes only; the rules of DESIGN.md §3 live in the services, whose field-keyed
ValidationErrors are attached back to the fields they name, in the reader's language."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shiraka.core.formatting import format_amount
from shiraka.core.money import MAX_AMOUNT, to_decimal
from shiraka.core.services import VersionConflict

from .pickers import KEPT_CHOICE_MODELS, KeptTerritoryChoiceIterator, ListedModelChoiceIterator

AMOUNT_HELP = _("in dirhams, e.g. 1500000.00")


def label(model, name: str):
    """The model field's own (translated) name, capitalised: one wording for admin, pages and forms."""
    return capfirst(model._meta.get_field(name).verbose_name)


# --- widgets and fields ----------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(model, name: str, **kwargs) -> forms.DateField:
    kwargs.setdefault("required", False)
    return forms.DateField(label=label(model, name), widget=DateInput(), **kwargs)


class AmountField(forms.DecimalField):
    """An amount in dirhams typed as a plain number; a comma or spaces are accepted too
    (1500000,00 or 1 500 000.00), since that is how French and Arabic readers write them."""

    def __init__(self, *, required=False, **kwargs):
        kwargs.setdefault("help_text", AMOUNT_HELP)
        super().__init__(
            required=required,
            max_digits=14,
            decimal_places=2,
            min_value=Decimal("0"),
            max_value=MAX_AMOUNT,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "dir": "ltr", "class": "amount-input"}
            ),
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        # to_decimal's own messages: "Enter an amount in dirhams, e.g. 1500000.00.", "at most two decimals"…
        return to_decimal(str(value))

    def widget_attrs(self, widget):
        # No min/max/step attributes: the browser must not refuse "1500000,00" before we read it.
        return {}


class TextDirection:
    AR = {"dir": "rtl", "lang": "ar"}
    FR = {"dir": "ltr", "lang": "fr"}


# Long texts (objects, notes, minutes, decisions) end somewhere: a 100 KB word made a page 771,890 px wide.
TEXT_LIMIT = 10_000


def text(model, name: str, *, rows: int | None = None, attrs: dict | None = None, **kwargs):
    field = model._meta.get_field(name)
    kwargs.setdefault("required", not field.blank)
    kwargs.setdefault("help_text", field.help_text)
    if rows:
        kwargs.setdefault("max_length", TEXT_LIMIT)
        return forms.CharField(
            label=label(model, name), widget=forms.Textarea(attrs={"rows": rows, **(attrs or {})}), **kwargs
        )
    return forms.CharField(
        label=label(model, name),
        max_length=field.max_length,
        widget=forms.TextInput(attrs=attrs or {}),
        **kwargs,
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# --- base form ---------------------------------------------------------------------------------------


def widget_css(widget, *, compact: bool = False) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select form-select-sm" if compact else "form-select"
    return "form-control form-control-sm" if compact else "form-control"


class ShirakaBoundField(BoundField):
    """Bootstrap's class on every widget, `is-invalid` when the field has an error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        classes = [
            widget_css(widget, compact=self.form.compact),
            widget.attrs.get("class", ""),
            attrs.get("class", ""),
        ]
        if self.errors:
            classes.append("is-invalid")
            attrs["aria-invalid"] = "true"
        attrs["class"] = " ".join(dict.fromkeys(c for c in " ".join(classes).split() if c))
        if isinstance(widget, (forms.TextInput, forms.Textarea)) and "dir" not in widget.attrs:
            # Names and titles may be Arabic or French whatever the page's language.
            attrs.setdefault("dir", "auto")
        return attrs


class ShirakaForm(forms.Form):
    """Bootstrap classes on every widget, `is-invalid` on fields with errors, and an optional
    layout: `layout = [(legend or None, [("field", "col-md-6"), ...]), ...]`."""

    bound_field_class = ShirakaBoundField
    layout: list = []
    version = None
    compact = False  # small controls, for forms repeated in rows (the extraction's review)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.iterator is ModelChoiceIterator:
                kept = field.queryset is not None and field.queryset.model in KEPT_CHOICE_MODELS
                field.iterator = KeptTerritoryChoiceIterator if kept else ListedModelChoiceIterator
                field.widget.choices = field.choices

    def fieldsets(self):
        placed = set()
        result = []
        for legend, names in self.layout:
            rows = []
            for item in names:
                name, column = item if isinstance(item, tuple) else (item, "col-12")
                if name in self.fields:
                    rows.append((self[name], column))
                    placed.add(name)
            if rows:
                result.append({"legend": legend, "fields": rows})
        rest = [
            (self[name], "col-12") for name in self.fields if name not in placed and not self[name].is_hidden
        ]
        if rest:
            result.append({"legend": None, "fields": rest})
        return result

    def values(self, *names) -> dict:
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class VersionedForm(ShirakaForm):
    """Edit forms carry the version the user read; the service refuses the save if it moved."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RemoveForm(VersionedForm):
    """The confirmation of a removal: only the version the user read, so that a record changed since
    is not removed unseen."""


def initial_of(record, *names: str) -> dict:
    """A form's initial values from these fields of `record`: a foreign key by its id, without a query."""
    return {name: record._meta.get_field(name).value_from_object(record) for name in names}


def text_or_empty(value) -> str:
    return value or ""


def amount_input_value(value: Decimal | None) -> str:
    """An amount as a person types it in an input: 443 000 000, or 158.16 with its centimes."""
    if value is None:
        return ""
    whole, _point, cents = f"{value:.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return " ".join(groups) + ("" if cents == "00" else f".{cents}")


# --- a service's refusal, on the form -----------------------------------------------------------

FAILED = object()
# Service field names that a form shows under another name.
FIELD_ALIASES = {"status_reason": "reason", "parent": "parent_reference"}


def display_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def attach_errors(form, error: ValidationError) -> None:
    """Put a service's errors next to the form's fields (Django maps a dict of errors to fields);
    errors on a field the form does not show go on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = FIELD_ALIASES.get(name, name)
        if target == NON_FIELD_ERRORS or target not in form.fields:
            form.add_error(None, errors)
        else:
            form.add_error(target, errors)


def conflict_rows(form, conflict: VersionConflict) -> list[dict]:
    rows = []
    model = type(conflict.current)
    for name, (now, tried) in conflict.changed.items():
        field_name = FIELD_ALIASES.get(name, name)
        if field_name in form.fields:
            field_label = form.fields[field_name].label
        else:
            try:
                field_label = model._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                field_label = name
        rows.append({"label": field_label, "now": display_value(now), "tried": display_value(tried)})
    return rows


def run_service(form, action):
    """Call the service; on refusal, attach its errors to the form and return FAILED."""
    try:
        return action()
    except VersionConflict as conflict:
        form.conflict = conflict_rows(form, conflict)
        form.add_error(None, conflict)
        # The form now carries the current version: saving again, after reading what changed,
        # is a deliberate choice, never a silent overwrite.
        if "version" in form.fields:
            data = form.data.copy()
            data[form.add_prefix("version")] = str(conflict.current.version)
            form.data = data
    except ValidationError as error:
        attach_errors(form, error)
    return FAILED
