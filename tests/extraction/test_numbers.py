"""Number and money grammar (README «Normalisation to units»)."""

from decimal import Decimal

import pytest

from shiraka.extraction.numbers import find_money, parse_amount, parse_figure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بغلاف مالي قدره 443 مليون درهم", 443_000_000),
        ("بتكلفة قدرها 158,16 مليون درهم", 158_160_000),
        ("بتكلفة قدرها 26,343 مليون درهم", 26_343_000),
        ("1,25 MMDH", 1_250_000_000),
        ("بكلفة إجمالية تقدر بمليار و865 مليون درهم", 1_865_000_000),
        ("غلاف مالي بقيمة 10 مليون و500 الف درهم", 10_500_000),
        ("بنحو تسعة ملايين درهم", 9_000_000),
        ("خمسة عشر مليون درهم", 15_000_000),
        ("(5ر4 مليون درهم)", 4_500_000),
        ("11.000.000.00 درهم", 11_000_000),
        ("1.200.000.00 درهم", 1_200_000),
        ("2.050.000 درهم", 2_050_000),
        ("(3.000.000,00) مليون درهم", 3_000_000),
        ("256,9 millions de dirhams (MDH)", 256_900_000),
        ("75 MDH", 75_000_000),
        ("5 milliards de dirhams", 5_000_000_000),
        ("deux millions de dirhams", 2_000_000),
        ("ب2,360 مليار درهم", 2_360_000_000),
        ("12.5 مليون درهم", 12_500_000),
        ("600 الف درهم", 600_000),
        ("بأزيد 200 مليون درهم", 200_000_000),
        ("ملياري درهم", 2_000_000_000),
        ("٤٤٣ مليون درهم", 443_000_000),
        ("۴۴۳ مليون درهم", 443_000_000),
        ("١٥٨٫١٦ مليون درهم", 158_160_000),
    ],
)
def test_amounts(text: str, expected: int) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("6 مليار سنتيم", 60_000_000), ("8 ملايير سنتيم", 80_000_000), ("500 مليون سنتيم", 5_000_000)],
)
def test_centimes_are_divided_by_100(text: str, expected: int) -> None:
    money = find_money(text)
    assert money[0].value == Decimal(expected)
    assert money[0].currency == "MAD"


def test_restated_amount_is_found_twice_with_equal_value() -> None:
    found = find_money("60 مليون درهم (6 مليار سنتيم)")
    assert [m.value for m in found] == [Decimal(60_000_000), Decimal(60_000_000)]


def test_scale_without_currency_has_no_currency() -> None:
    found = find_money("بغلاف مالي يناهز 5 ملايين سنويا")
    assert found[0].value == Decimal(5_000_000)
    assert found[0].currency is None


def test_not_money() -> None:
    assert find_money("على مساحة 2.7 هكتار و1.000 lits, 14 مشروعا، 2022-2027") == []


def test_spans_point_at_the_original_text() -> None:
    text = "بتكلفة قدرها ١٥٨,١٦ مليون درهم و ذلك"
    money = find_money(text)[0]
    assert text[money.start : money.end] == "١٥٨,١٦ مليون درهم"


@pytest.mark.parametrize(
    ("raw", "before_scale", "value"),
    [
        ("2.050.000", False, Decimal(2050000)),
        ("11.000.000.00", False, Decimal("11000000.00")),
        ("158,16", True, Decimal("158.16")),
        ("26,343", True, Decimal("26.343")),
        ("1.000", False, Decimal(1000)),
    ],
)
def test_parse_figure(raw: str, before_scale: bool, value: Decimal) -> None:
    parsed = parse_figure(raw, before_scale=before_scale)
    assert parsed is not None and parsed[0] == value
