"""Chart descriptions for the reading pages. A view turns figures the portfolio selectors computed
into plain data (categories, series, the numbers and the same numbers as the page writes them);
the template hands it over with `json_script` and `static/pictures/charts.js` draws it. Nothing is
recomputed here: every amount is one the selectors already counted once."""

from decimal import Decimal

from django.utils.translation import gettext as _

from shiraka.core.formatting import MILLION, format_millions
from shiraka.core.text import reader_language

# Series colours, one meaning each wherever it appears (committed, due, transferred, arrears).
COLOURS = {"committed": "#0b5d4b", "due": "#e0a100", "transferred": "#3b82c4", "arrears": "#c0392b"}
MAX_ROWS = 12


def _millions(value) -> float:
    return float((Decimal(value or 0) / MILLION).quantize(Decimal("0.01")))


def number_marks() -> dict:
    """How the page writes a plain number, for axis labels (same marks as `core.formatting`)."""
    return {"ar": {"decimal": ",", "group": "."}, "en": {"decimal": ".", "group": ","}}.get(
        reader_language(), {"decimal": ",", "group": "\u00a0"}
    )


def money_series(key: str, name: str, amounts) -> dict:
    amounts = list(amounts)
    return {
        "key": key,
        "name": name,
        "colour": COLOURS.get(key, "#0b5d4b"),
        "values": [_millions(a) for a in amounts],
        "labels": [format_millions(a or 0) for a in amounts],
    }


def count_series(key: str, name: str, counts) -> dict:
    counts = [int(c or 0) for c in counts]
    return {
        "key": key,
        "name": name,
        "colour": COLOURS.get(key, "#0b5d4b"),
        "values": counts,
        "labels": counts,
    }


def chart(kind: str, title: str, categories, series, *, unit: str = "") -> dict:
    """`kind`: "bars" (categories across), "rows" (categories down, for long names) or "line"."""
    return {
        "kind": kind,
        "title": title,
        "categories": [str(c) for c in categories],
        "series": series,
        "unit": unit,
        "marks": number_marks(),
        "rtl": reader_language() == "ar",
    }


def millions_unit() -> str:
    return _("million dirhams")


def partner_name(row: dict) -> str:
    arabic = reader_language() == "ar"
    first, second = ("organisation__name_ar", "organisation__name_fr")
    if not arabic:
        first, second = second, first
    return row.get(first) or row.get(second) or ""


def partners_chart(partners: list[dict]) -> dict:
    """Committed vs due to date vs transferred by partner (`breakdown_by_partner` rows)."""
    rows = partners[:MAX_ROWS]
    return chart(
        "rows",
        _("Committed, due and transferred by partner"),
        [partner_name(r) for r in rows],
        [
            money_series("committed", _("Committed"), [r["committed_sum"] for r in rows]),
            money_series("due", _("Due to date"), [r["due_sum"] for r in rows]),
            money_series("transferred", _("Transferred"), [r["transferred_sum"] for r in rows]),
        ],
        unit=millions_unit(),
    )


def statuses_chart(statuses) -> dict:
    """Projects by status: `statuses` as (value, label, count)."""
    statuses = list(statuses)
    return chart(
        "bars",
        _("Projects by status"),
        [label for _value, label, _count in statuses],
        [count_series("projects", _("Projects"), [count for _v, _l, count in statuses])],
    )


def categories_chart(categories: list[dict]) -> dict:
    rows = categories[:MAX_ROWS]
    return chart(
        "rows",
        _("Project budgets by category"),
        [r["label"] for r in rows],
        [money_series("committed", _("Budget"), [r["budget"] for r in rows])],
        unit=millions_unit(),
    )


def territories_chart(rows, title: str, *, unknown: str) -> dict:
    """Arrears beside transferred by region, province or programme (`breakdown` rows)."""
    rows = list(rows)[: MAX_ROWS + 3]
    return chart(
        "rows",
        title,
        [r.label or unknown for r in rows],
        [
            money_series("transferred", _("Transferred"), [r.transferred for r in rows]),
            money_series("arrears", _("Arrears"), [r.arrears for r in rows]),
        ],
        unit=millions_unit(),
    )


def progress_chart(points: list[dict]) -> dict | None:
    """Reported physical progress by quarter (`reporting.selectors.progress_by_quarter`)."""
    if len(points) < 2:
        return None
    return chart(
        "line",
        _("Physical progress reported, by quarter"),
        [p["quarter"] for p in points],
        [
            {
                "key": "progress",
                "name": _("Mean physical progress reported (%)"),
                "colour": COLOURS["committed"],
                "values": [p["progress"] for p in points],
                "labels": [
                    f"{p['progress']:.1f} %".replace(".", "," if reader_language() != "en" else ".")
                    for p in points
                ],
            }
        ],
        unit="%",
    )


def agreements_chart(partnerships) -> dict | None:
    """One organisation's agreements: what it committed, owed to date and transferred on each."""
    rows = list(partnerships)[: MAX_ROWS + 3]
    if not rows:
        return None
    return chart(
        "rows",
        _("Committed, due and transferred by agreement"),
        [p.agreement.reference for p in rows],
        [
            money_series("committed", _("Committed"), [p.committed for p in rows]),
            money_series("due", _("Due to date"), [p.due_to_date for p in rows]),
            money_series("transferred", _("Transferred"), [p.transferred for p in rows]),
        ],
        unit=millions_unit(),
    )
