"""The pickers of the form kit: model choice fields read in one query (`ListedModelChoiceIterator`),
in <optgroup>s (organisations by kind, provinces by region), with row keys bounded before a query."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shiraka.agreements.models import Agreement
from shiraka.core.cache import figures_epoch, figures_seconds, memoised
from shiraka.organisations.models import Organisation
from shiraka.territory.models import Province, Region

from .params import whole_number


class ListedModelChoiceIterator(ModelChoiceIterator):
    """A model choice field's rows read in one query. Django reads them with `QuerySet.iterator()`,
    which on PostgreSQL is a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for the
    twelve regions of a filter. Each rendering still reads them again, as Django's does."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class KeptTerritoryChoiceIterator(ListedModelChoiceIterator):
    """The choices of a picker over regions or provinces, read once per process for each query,
    language and epoch: the alert filter read its 12 regions and 75 provinces again at every request
    (10 ms of its page). A territory saved, or loaded from the reference files, moves the epoch
    (`core.kept`). The field still validates against its queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset.all()
        # The field's class too: another may write its labels otherwise.
        field = type(self.field)
        key = f"territory-choices:{field.__module__}.{field.__qualname__}:{queryset.query}"
        key = f"{key}:{figures_epoch()}:{get_language()}"
        yield from memoised(key, lambda: [self.choice(obj) for obj in queryset], timeout=figures_seconds())


# Reference rows whose every save or load moves the epoch (`territory.services`, `core.cache`).
KEPT_CHOICE_MODELS = (Region, Province)


class GroupedModelChoiceIterator(ModelChoiceIterator):
    """<optgroup>s: the field's `group_of(obj)` gives (sort key, group label) for each row."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict = {}
        for obj in self.queryset:
            key, group_label = self.field.group_of(obj)
            groups.setdefault((key, str(group_label)), []).append(obj)
        for (_key, group_label), objects in sorted(groups.items()):
            objects.sort(key=lambda obj: self.field.label_from_instance(obj).casefold())
            yield (group_label, [self.choice(obj) for obj in objects])


class GroupedChoices:
    """<optgroup>s for a model choice field: `group_of(obj)` gives (sort key, group label)."""

    iterator = GroupedModelChoiceIterator

    def __init__(self, queryset, *, group_of, label_of=None, **kwargs):
        self.group_of = group_of
        self.label_of = label_of
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return self.label_of(obj) if self.label_of else str(obj)


class BoundedKeys:
    """Row keys are whole numbers within 64 bits before they reach a query: beyond, SQLite raises
    OverflowError on `pk IN (…)` instead of finding nothing (the one bounded path: kit/params.py)."""

    def bounded_key(self, value):
        if self.to_field_name is None and whole_number(value) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return value


class GroupedModelChoiceField(BoundedKeys, GroupedChoices, forms.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        return super().to_python(self.bounded_key(value))


class GroupedModelMultipleChoiceField(BoundedKeys, GroupedChoices, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            for key in value:
                if key not in self.empty_values:
                    self.bounded_key(key)
        return super()._check_values(value)


KIND_ORDER = {kind: index for index, kind in enumerate(Organisation.Kind.values)}


def organisation_label(organisation: Organisation) -> str:
    name = str(organisation)
    if organisation.acronym and organisation.acronym not in name:
        return f"{name} ({organisation.acronym})"
    return name


def organisation_field(*, label_text, required=True, first: Q | None = None, first_label=None, help_text=""):
    """A select over every organisation (~300 in the reference list, more as communes join), in
    <optgroup>s: those matching `first` (the agreement's partners or territory) on top, then by kind."""
    first_ids: set[int] = set()
    if first is not None:
        first_ids = set(Organisation.objects.filter(first).values_list("pk", flat=True))
    kinds = dict(Organisation.Kind.choices)

    def group_of(organisation):
        if organisation.pk in first_ids:
            return (-1, first_label)
        return (
            KIND_ORDER.get(organisation.kind, 99),
            capfirst(kinds.get(organisation.kind, organisation.kind)),
        )

    return GroupedModelChoiceField(
        Organisation.objects.all(),
        group_of=group_of,
        label_of=organisation_label,
        required=required,
        label=label_text,
        help_text=help_text,
    )


def province_field(*, required=False, help_text=""):
    return GroupedModelChoiceField(
        Province.objects.select_related("region"),
        group_of=lambda p: (p.region.code, str(p.region)),
        required=required,
        label=capfirst(_("province or prefecture")),
        help_text=help_text,
    )


def agreement_territory(agreement: Agreement) -> Q:
    q = Q(pk__in=agreement.partnerships.values("organisation"))
    if agreement.province_id:
        q |= Q(province_id=agreement.province_id)
    elif agreement.region_id:
        q |= Q(region_id=agreement.region_id, province__isnull=True)
    return q
