"""Abstract bases shared by the domain apps."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def contains_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


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
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and contains_nul(
                getattr(self, field.attname, None)
            ):
                # PostgreSQL refuses NUL in text where SQLite stores it (DESIGN.md §7).
                errors[field.name] = [ValidationError(_("This text contains a NUL character."), code="nul")]
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
