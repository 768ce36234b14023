"""Date grammar and relative dates (README «signed_on»)."""

from datetime import date

import pytest

from shiraka.extraction import extract
from shiraka.extraction.dates import find_dates, month_number, resolve


@pytest.mark.parametrize(
    ("word", "month"),
    [
        ("نونبر", 11),
        ("نوفمبر", 11),
        ("تشرين الثاني", 11),
        ("novembre", 11),
        ("يناير", 1),
        ("كانون الثاني", 1),
        ("janvier", 1),
        ("فبراير", 2),
        ("شباط", 2),
        ("février", 2),
        ("أبريل", 4),
        ("نيسان", 4),
        ("ماي", 5),
        ("مايو", 5),
        ("أيار", 5),
        ("يوليوز", 7),
        ("يوليو", 7),
        ("تموز", 7),
        ("غشت", 8),
        ("أغسطس", 8),
        ("آب", 8),
        ("août", 8),
        ("شتنبر", 9),
        ("سبتمبر", 9),
        ("أيلول", 9),
        ("أكتوبر", 10),
        ("تشرين الأول", 10),
        ("دجنبر", 12),
        ("ديسمبر", 12),
        ("كانون الأول", 12),
        ("décembre", 12),
    ],
)
def test_month_names(word: str, month: int) -> None:
    assert month_number(word) == month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مساء أمس الإثنين 19 نونبر 2018", date(2018, 11, 19)),
        ("يوم ١٥ تشرين الثاني ٢٠٢٠", date(2020, 11, 15)),
        ("jeudi, 4 février, 2021 à 22:00", date(2021, 2, 4)),
        ("le 1er mars 2020", date(2020, 3, 1)),
        ("في 12/02/2022", date(2022, 2, 12)),
        ("يوم السبت 12 فبراير 2022", date(2022, 2, 12)),
    ],
)
def test_full_dates(text: str, expected: date) -> None:
    assert resolve(find_dates(text)[0], None) == expected


ARTICLE = date(2023, 11, 8)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أمس الثلاثاء", date(2023, 11, 7)),
        ("تم اليوم الأربعاء", date(2023, 11, 8)),
        ("hier à Rabat", date(2023, 11, 7)),
        ("signées, lundi à Rabat", date(2023, 11, 6)),
        ("صبيحة اليوم الإثنين 06 نونبر", date(2023, 11, 6)),
        ("ce jeudi", date(2023, 11, 2)),
    ],
)
def test_relative_dates_need_the_article_date(text: str, expected: date) -> None:
    mention = find_dates(text)[0]
    assert resolve(mention, ARTICLE) == expected
    if mention.full is None:
        assert resolve(mention, None) is None


def test_weekday_only_is_null_without_article_date() -> None:
    draft = extract("تم أمس الثلاثاء توقيع اتفاقية شراكة بين مجلس جهة الشرق ووزارة الصحة.")
    assert draft.agreements[0].signed_on is None


def test_article_date_resolves_today() -> None:
    text = "الرباط - الجمعة 20 أكتوبر 2023\nترأس رئيس الحكومة اليوم الجمعة بالرباط مراسم التوقيع على اتفاقية شراكة."
    assert extract(text).agreements[0].signed_on == date(2023, 10, 20)


def test_reference_date_stands_in_for_a_missing_article_date() -> None:
    text = "وقعت أمس الثلاثاء اتفاقية شراكة بين مجلس جهة الشرق ووزارة الصحة."
    assert extract(text, reference_date=date(2023, 11, 8)).agreements[0].signed_on == date(2023, 11, 7)
