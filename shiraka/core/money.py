"""Money stored as whole centimes.

SQLite keeps a DecimalField as a floating-point number, so sums over many amounts drift
(DESIGN.md §2). A BigIntegerField of centimes keeps `Sum()` exact on SQLite and PostgreSQL;
this field converts to and from `Decimal` at the edges.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core import checks, exceptions
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")

CENT = Decimal("0.01")
# 999 billion dirhams: above any public agreement, far below the int64 limit even when
# summed over a national portfolio.
MAX_AMOUNT = Decimal("999999999999.99")


def too_large() -> exceptions.ValidationError:
    return exceptions.ValidationError(
        _("An amount cannot exceed %(max)s MAD."), code="too_large", params={"max": "999 999 999 999,99"}
    )


def to_decimal(value) -> Decimal | None:
    """Parse a user or programme value into a Decimal of dirhams, or raise ValidationError."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        # A float has already lost exactness; go through its shortest repr.
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise exceptions.ValidationError(
            _("Enter an amount in dirhams, e.g. 1500000.00."), code="invalid"
        ) from None
    if not amount.is_finite():
        raise exceptions.ValidationError(_("Enter an amount in dirhams, e.g. 1500000.00."), code="invalid")
    if amount.copy_abs() > MAX_AMOUNT * 1000:
        raise too_large()
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise exceptions.ValidationError(
            _("An amount has at most two decimals (centimes)."), code="max_decimal_places"
        )
    return amount.quantize(CENT)


def validate_amount_bounds(value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0:
        raise exceptions.ValidationError(_("An amount cannot be negative."), code="negative")
    if value > MAX_AMOUNT:
        raise too_large()


class MoneyField(models.BigIntegerField):
    """A non-negative amount in MAD, exact to the centime, stored as an integer of centimes."""

    description = _("Amount in dirhams (stored in centimes)")
    default_validators = [validate_amount_bounds]

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_default()]

    def _check_default(self):
        if self.has_default() and isinstance(self.default, float):
            return [checks.Error("MoneyField default must be a Decimal, not a float.", obj=self)]
        return []

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)

    def to_python(self, value):
        return to_decimal(value)

    def get_prep_value(self, value):
        if value is None:
            return None
        if hasattr(value, "resolve_expression"):
            return value
        amount = to_decimal(value)
        if amount is None:
            return None
        if amount.copy_abs() > MAX_AMOUNT * 10:
            # Refuse before the database: an oversized integer poisons later reads.
            raise too_large()
        return int((amount * 100).to_integral_value())

    def formfield(self, **kwargs):
        from django import forms

        defaults = {
            "form_class": forms.DecimalField,
            "max_digits": 14,
            "decimal_places": 2,
            "min_value": Decimal("0"),
            "max_value": MAX_AMOUNT,
        }
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


def money_value(amount) -> models.Value:
    """A literal usable in Coalesce() and arithmetic next to MoneyField columns."""
    return models.Value(amount, output_field=MoneyField())
