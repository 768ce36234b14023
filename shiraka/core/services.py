"""Write helpers every domain service uses: validated save with history attribution and
optimistic locking."""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shiraka.core.rules import check_reason, check_transition, refuse


class VersionConflict(ValidationError):
    """Someone else saved the record after it was read; nothing was written."""

    def __init__(self, current: models.Model, changed: dict[str, tuple] | None = None):
        self.current = current
        # field name → (value now in the database, value the user tried to save)
        self.changed = changed or {}
        super().__init__(
            _(
                "This record was changed by someone else since you opened it. Nothing was saved; "
                "reload it to see the current values."
            ),
            code="version_conflict",
        )


def check_field_names(names, allowed, what: str) -> None:
    """A programming error, not user input: a service was called with a field it does not write."""
    unknown = set(names).difference(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def set_history_user(instance: models.Model, user) -> None:
    """Attribute the next history row to `user` whatever the entry point (web, API, CLI, import)."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user


def validated_save(instance: models.Model, *, by=None, exclude: list[str] | None = None) -> models.Model:
    instance.full_clean(exclude=exclude)
    set_history_user(instance, by)
    instance.save()
    return instance


def claim_version(instance: models.Model, expected_version: int, changes: dict | None = None) -> None:
    """Take the record for a write only if nobody saved it since `expected_version` was read.

    `select_for_update()` does nothing on SQLite, so the compare-and-set is the UPDATE's own WHERE
    clause: one row matches, or the write is refused with what changed meanwhile among `changes`
    (DESIGN.md §7), or as already removed."""
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if claimed != 1:
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None:
            refuse(NON_FIELD_ERRORS, _("This record was already removed."), "already_removed")
        changed = {
            name: (getattr(current, name), value)
            for name, value in (changes or {}).items()
            if getattr(current, name) != value
        }
        raise VersionConflict(current, changed)
    instance.version = expected_version + 1


@transaction.atomic
def versioned_update(instance: models.Model, *, expected_version: int, by=None, **changes) -> models.Model:
    """Apply `changes` only if nobody saved the record since `expected_version` was read; the regular
    save that follows the claim writes the fields and the history row."""
    claim_version(instance, expected_version, changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    validated_save(instance, by=by)
    return instance


def delete_recorded(instance: models.Model, *, by=None) -> None:
    """Delete with the acting user on the history row of the deletion."""
    set_history_user(instance, by)
    instance.delete()


@transaction.atomic
def versioned_remove(instance: models.Model, *, expected_version: int, by=None) -> None:
    """Delete the record only if nobody saved it since `expected_version` was read (no lost update).
    A copy is deleted: the caller's object keeps its key, for a rule checked once the row is gone
    that refuses and rolls the removal back, and for the page that then shows it again."""
    claim_version(instance, expected_version)
    delete_recorded(copy.copy(instance), by=by)


@transaction.atomic
def money_row_cancel(row: models.Model, *, reason: str, expected_version: int, by=None) -> models.Model:
    """Cancel a transfer or a payment: kept, struck through, counted in no figure, with who and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "cancellation_reason": ValidationError(
                    _("Say why: a cancellation needs a reason."), code="reason_required"
                )
            }
        )
    if type(row)._default_manager.filter(pk=row.pk, cancelled_at__isnull=False).exists():
        raise ValidationError(
            {
                "cancellation_reason": ValidationError(
                    _("This row is already cancelled."), code="already_cancelled"
                )
            }
        )
    return versioned_update(
        row,
        expected_version=expected_version,
        by=by,
        cancelled_at=timezone.now(),
        cancelled_by=by if getattr(by, "pk", None) else None,
        cancellation_reason=reason,
    )


@dataclass(frozen=True)
class StatusPath:
    """A model's status path: where each status may go (forward only), the statuses that need a
    reason, and `check(record)`, what the new status requires of the record."""

    transitions: dict[str, set[str]]
    reason_required: set[str]
    check: Callable[[models.Model], None]

    def check_reason(self, status: str, reason: str) -> None:
        check_reason(status, reason, self.reason_required)

    @transaction.atomic
    def move(self, record, *, status: str, reason: str = "", expected_version: int, by=None):
        """Move `record` to `status` and save with the version the user read."""
        check_transition(
            record.status,
            status,
            self.transitions,
            labels=dict(type(record).Status.choices),
            reason=reason,
            reason_required=self.reason_required,
        )
        record.status = status
        self.check(record)
        return versioned_update(
            record,
            expected_version=expected_version,
            by=by,
            status=status,
            status_reason=reason if status in self.reason_required else record.status_reason,
        )
