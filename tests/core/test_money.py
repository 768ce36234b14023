from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from shiraka.agreements.models import Partnership, ScheduledContribution
from shiraka.core.formatting import format_amount, format_millions, written_amount
from shiraka.core.money import to_decimal
from tests import factories


def test_amount_round_trips_exactly_to_the_centime(db):
    agreement = factories.agreement(total="158160000.01")
    agreement.refresh_from_db()
    assert agreement.total_amount == Decimal("158160000.01")
    assert isinstance(agreement.total_amount, Decimal)


@pytest.mark.parametrize("value", ["12.345", "abc", "NaN", "1e400"])
def test_amount_parsing_refuses_what_is_not_an_amount_in_centimes(value):
    with pytest.raises(ValidationError):
        to_decimal(value)


def test_amount_parsing_accepts_a_decimal_comma_and_spaces():
    assert to_decimal("1 250,50") == Decimal("1250.50")


@pytest.mark.slow
def test_sum_of_600000_amounts_with_centimes_is_exact(db):
    """DESIGN.md §2: a float column drifted 0.23 MAD on this sum; centimes in an integer do not."""
    partnership = factories.partnership(committed=None)
    amounts = [Decimal(f"{(i * 7919) % 100000}.{(i * 37) % 100:02d}") for i in range(600_000)]
    ScheduledContribution.objects.bulk_create(
        (
            ScheduledContribution(partnership=partnership, due_on="2024-01-01", amount=amount)
            for amount in amounts
        ),
        batch_size=10_000,
    )
    total = ScheduledContribution.objects.aggregate(total=Sum("amount"))["total"]
    assert total == sum(amounts)
    assert float(sum(amounts)) != 0


def test_amounts_display_in_the_readers_language():
    assert format_millions(Decimal("443000000"), "fr") == "443,00\u00a0M DH"
    assert format_millions(Decimal("443000000"), "ar") == "443,00\u00a0مليون درهم"
    assert format_amount(Decimal("26343000"), "fr") == "26\u00a0343\u00a0000,00\u00a0DH"
    assert format_amount(Decimal("26343000"), "en") == "MAD 26,343,000.00"


@pytest.mark.parametrize("first", ["negative", "zero"])
def test_amounts_written_once_read_the_same_whatever_came_first(first):
    """Amounts are written once and kept: a negative amount rounded to nothing, written first, does not
    make every zero read "-0,00", and rounding and signs stay right for the amounts kept beside it."""
    written_amount.cache_clear()
    order = [Decimal("-0.004"), Decimal("0")] if first == "negative" else [Decimal("0"), Decimal("-0.004")]
    assert [format_amount(value, "fr") for value in order] == ["0,00\u00a0DH", "0,00\u00a0DH"]
    assert format_amount(Decimal("-1234567.895"), "ar") == "-1.234.567,90\u00a0درهم"
    assert format_amount(Decimal("999.994"), "en") == "MAD 999.99"
    assert format_millions(Decimal("-2500000"), "fr") == "-2,50\u00a0M DH"
    assert format_amount(Decimal("1.1"), "fr") == format_amount(Decimal("1.10"), "fr") == "1,10\u00a0DH"


def test_unspecified_commitment_stays_none_not_zero(db):
    partnership = factories.partnership(committed=None)
    assert Partnership.objects.get(pk=partnership.pk).committed_amount is None
