"""Small helpers the services use to refuse bad input with a field-attached message."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def refuse(field: str, message, code: str, **params) -> None:
    raise ValidationError({field: ValidationError(message, code=code, params=params or None)})


def today() -> date:
    return timezone.localdate()


def check_date_order(start: date | None, end: date | None, *, end_field: str) -> None:
    if start and end and start > end:
        refuse(end_field, _("The end date cannot be before the start date."), "dates_out_of_order")


def check_not_future(value: date | None, *, field: str) -> None:
    if value and value > today():
        refuse(field, _("This date is in the future: it cannot have happened yet."), "date_in_future")


def check_transition(
    current: str,
    target: str,
    allowed: dict[str, set[str]],
    *,
    labels: dict,
    reason: str,
    reason_required: set[str],
) -> None:
    """A status moves forward along its path; suspension and cancellation say why."""
    if current == target:
        return
    if target not in allowed.get(current, set()):
        refuse(
            "status",
            _("The status cannot go from “%(current)s” to “%(target)s”: it only moves forward."),
            "status_backwards",
            current=labels.get(current, current),
            target=labels.get(target, target),
        )
    check_reason(target, reason, reason_required)


def check_reason(status: str, reason: str, reason_required: set[str]) -> None:
    """A record put in a status that needs a reason (suspended, cancelled), on creation or by a move, says why."""
    if status in reason_required and not (reason or "").strip():
        refuse(
            "status_reason", _("Say why: a suspension or a cancellation needs a reason."), "reason_required"
        )


def amount_or_refuse(value, field: str, *, required: bool = False):
    """Parse an amount for `field`, refusing negatives, more than two decimals and absurd sizes."""
    from shiraka.core.money import to_decimal, validate_amount_bounds

    try:
        amount = to_decimal(value)
        validate_amount_bounds(amount)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None
    if amount is None and required:
        refuse(field, _("Enter an amount."), "required")
    return amount
