"""What the agreement and project forms share: the link from a form's values to its service's
keyword arguments, the status form, and the words of a page that adds one record under another."""

from dataclasses import dataclass

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from shiraka.web.kit.forms import TEXT_LIMIT, ShirakaForm, VersionedForm, label, text_or_empty


class RecordForm(ShirakaForm):
    """A form whose values are its service's keyword arguments: `SERVICE_FIELDS` names them, and the
    optional texts among them (`TEXT_FIELDS`) reach the service as "" rather than None."""

    SERVICE_FIELDS: tuple[str, ...] = ()
    TEXT_FIELDS: tuple[str, ...] = ()
    page: "FormPage | None" = None

    def service_values(self) -> dict:
        values = self.values(*self.SERVICE_FIELDS)
        for name in self.TEXT_FIELDS:
            values[name] = text_or_empty(values.get(name))
        return values


@dataclass(frozen=True)
class FormPage:
    """The words of a form's page (for a record added under another, `title` names that parent as
    %(reference)s, %(partner)s or %(contract)s) and the ids of its inline form, in which `{pk}` is the
    parent's: the form a page shows and the one its view answers with under htmx carry the same ids."""

    title: str
    saved: str
    inline_id: str = ""
    auto_id: str = "id_%s"
    submit_label: str | None = None


def integer(model, name: str, **kwargs):
    field = model._meta.get_field(name)
    return forms.IntegerField(
        label=label(model, name), required=False, min_value=0, help_text=field.help_text, **kwargs
    )


class StatusForm(VersionedForm):
    """Only the statuses the record may move to are offered; any other (an old page, a crafted
    request) reaches the service, which refuses it with its own message."""

    status = forms.ChoiceField(label=capfirst(_("new status")), choices=())
    reason = forms.CharField(
        label=capfirst(_("reason")),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a suspension or a cancellation."),
    )

    def __init__(self, *args, all_choices, next_statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(all_choices)
        self.fields["status"].widget.choices = [
            (value, text_) for value, text_ in all_choices if value in next_statuses
        ]
        self.has_next = bool(next_statuses)


class CancelForm(VersionedForm):
    """Why a money row is cancelled: the reason stays on the page beside the struck-through row."""

    cancellation_reason = forms.CharField(
        label=capfirst(_("reason for the cancellation")),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
