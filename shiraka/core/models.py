"""Abstract bases shared by the domain apps."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from shiraka.core.text import localised


def optional_link(to, verbose_name, *, on_delete=models.PROTECT, **kwargs) -> models.ForeignKey:
    """A link a record may go without (a territory, an owner, a parent): PROTECT unless told."""
    return models.ForeignKey(
        to, on_delete=on_delete, null=True, blank=True, verbose_name=verbose_name, **kwargs
    )


def author_link(verbose_name) -> models.ForeignKey:
    """Who recorded a row: kept when the account is deleted (the history names them), no reverse accessor."""
    return optional_link(settings.AUTH_USER_MODEL, verbose_name, on_delete=models.SET_NULL, related_name="+")


class ReferencedTitle:
    """A record named by its reference and its title (Arabic, French), found through `search_text`:
    what its `build_search_text()` returns, kept on every save."""

    @property
    def title(self) -> str:
        return localised(self.title_ar, self.title_fr)

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


def contains_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def clean_field(instance: models.Model, field: models.Field, value) -> tuple[object, list]:
    """(the cleaned value, [] ) or (value, [messages]): what `Model.clean_fields()` does for one
    field, plus the NUL check that PostgreSQL needs and SQLite does not (DESIGN.md §7). The result
    depends on the value alone (a link is checked against its table elsewhere), so that the bulk
    path (`core.bulk`) cleans each distinct value of a column once."""
    messages = []
    if isinstance(field, (models.CharField, models.TextField)) and contains_nul(value):
        messages.append(ValidationError(_("This text contains a NUL character."), code="nul"))
    if field.generated or (field.blank and value in field.empty_values):
        return value, messages
    try:
        value = field.clean(value, instance)
    except ValidationError as error:
        messages.extend(error.error_list)
    return value, messages


@functools.cache
def _choice_labels(field: models.Field) -> dict:
    """A field's choices by value, built once: the labels stay lazy, translated when shown."""
    return {make_hashable(value): label for value, label in field.flatchoices}


class TrackedModel(models.Model):
    """A record that people edit: timestamps, a version for lost-update checks, and a
    text check that behaves the same on SQLite and PostgreSQL."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        for field in self._meta.fields:
            if exclude and field.name in exclude:
                continue
            value, messages = clean_field(self, field, getattr(self, field.attname))
            if messages:
                errors[field.name] = messages
            else:
                setattr(self, field.attname, value)
        if errors:
            raise ValidationError(errors)

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name: `get_<field>_display` calls it)
        # Django builds a dict of every choice on each call, hashing each lazy label (a translation
        # each): 5 ms of a 50-row project list for its category and status.
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


class CancellableQuerySet(models.QuerySet):
    def standing(self):
        """The rows that count: those not cancelled."""
        return self.filter(cancelled_at__isnull=True)


class Cancellable(models.Model):
    """A money row is never deleted: it is cancelled with a reason, stays visible (struck through,
    with who and why) and counts in no figure."""

    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = author_link(_("cancelled by"))
    cancellation_reason = models.CharField(_("reason for the cancellation"), max_length=500, blank=True)

    objects = CancellableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


# --- Versions and parts of the figures kept by part (`shiraka.core.kept`) ---------------------------


class FiguresMark(models.Model):
    """A write's mark on a part of the kept figures (a region's money or projects, the epoch): written
    in the writer's transaction, so that a part's version moves exactly when the write commits. Writers
    only insert (no row to wait for); `kept.fold_marks` moves old marks into `FiguresVersion`."""

    kind = models.CharField(max_length=40)
    part = models.CharField(max_length=40)
    # Random: a version counts the marks and adds their tokens, so that a mark rolled back and another
    # committed later do not give the same version twice (values are kept under their versions).
    token = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "part"], name="core_figuresmark_part")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.part}"


class FiguresVersion(models.Model):
    """The marks of a part folded so far: their number and the sum of their tokens (modulo
    `kept.TOKENS`). The row of kind `generation` holds when this database's versions started."""

    kind = models.CharField(max_length=40)
    part = models.CharField(max_length=40)
    marks = models.BigIntegerField(default=0)
    tokens = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "part"], name="core_figuresversion_part")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.part} {self.marks}"


class KeptPart(models.Model):
    """A part's figures as last computed, under the key naming its versions (`kept.persisted`): what a
    reader finds when the cache does not hold them (a new process, a cache emptied or unshared), so that
    a dashboard sums one row per region instead of every agreement. One row per slot: the key without
    its versions."""

    slot = models.CharField(max_length=255, unique=True)
    key = models.CharField(max_length=255)
    value = models.BinaryField()
    kept_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
