"""The national dashboard's figures, kept by region.

Computed whole, the national figures are a handful of GROUP BYs over every agreement, partnership and
project group, and any write anywhere made them stale. Here they are the sum of one part per region
(and one for agreements without a region). Each part holds the raw sums of its agreements, in two
halves cached under versions of their own: its money sums (totals by region, programme and province,
partners) and its projects (groups by status and category, progress by quarter). A write of a money
row moves the first half's version of its region, a write of a project row both halves'
(`shiraka.core.cache.bump_parts`, from `figures_refreshed`, in the write's transaction). Any other
write or a bulk path moves the epoch, and every part with it; a new day is in the keys. The parts
are kept in the database as well as in the cache (`shiraka.core.kept`), so that a process that does
not hold them reads one row per region instead of summing every agreement again. A page computes
the stale halves only, all of them with the same five queries at most, and adds the parts up: sums
of whole centimes, so the total is exact whatever the grouping.

A region's page reads its region's part alone (with its provinces). The result has the shapes of
`portfolio.selectors` and `reporting.selectors` (summary, breakdowns by region, province and
programme, top partners, categories, progress points), built by the same functions."""

import functools
import hashlib
import heapq
from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import get_language

from shiraka.accounts.access import visible_agreements
from shiraka.agreements.models import Agreement
from shiraka.core import cache, kept
from shiraka.core.querying import prepared_rows
from shiraka.core.rules import today as local_today
from shiraka.portfolio import figures
from shiraka.portfolio.figures import ensure_current
from shiraka.portfolio.regions import bump_regions_of, in_regions, part_name, region_parts
from shiraka.portfolio.selectors import (
    CATEGORY,
    STATUS,
    Summary,
    agreement_groups,
    breakdown_rows,
    category_rows,
    kept_sums,
    label_fields,
    named_partner_groups,
    partner_summary_of,
    partner_sums,
    project_groups,
    summary_of,
    with_partner_names,
)

from .selectors import quarter_groups, quarter_points

PART = "region"
# A region's part is kept in two, each under its own version: a write of a money row (a transfer, a
# schedule line, a partner) leaves the project groups and quarters as they were, so it moves the
# first's version only (`portfolio.figures.MONEY_CAUSES`).
PROJECTS_PART = "region-projects"
FAMILIES = {
    PART: ("regions", "summary", "programmes", "provinces", "partners"),
    PROJECTS_PART: ("statuses", "categories", "quarters"),
}
# Above this many agreements refreshed at once (a bulk path), every part is stale anyway.
FEW_AGREEMENTS = 50
PARTNERS_SHOWN = 10
# Groups summed part by part: a partner, a programme, a project group or a quarter in several regions.
SUMMED = {
    "summary": (),
    "programmes": ("programme",),
    "partners": ("organisation",),
    "statuses": ("key",),
    "categories": ("key",),
    "quarters": ("quarter",),
}


def dashboard_figures(agreements: QuerySet, audience: str, *, today: date | None = None) -> dict:
    """The dashboard's figures for `agreements`, the whole portfolio as `audience` ("all" for
    members, "published" for the public) may see it."""
    keys, parts = _cached_parts(agreements, audience, region_parts(), every=True, today=today)
    # The same parts add up to the same figures: kept under the parts' keys and the reader's language
    # (which names categories and quarters), so that a dashboard read again adds nothing up.
    key = "shiraka:national-added:" + _digest([*keys, get_language() or ""])
    added = cache.get_many([key]).get(key)
    if added is None:
        added = _added(parts)
        cache.set_many({key: added})
    return added


def region_figures(agreements: QuerySet, audience: str, region: int, *, today: date | None = None) -> dict:
    """A region page's figures: those of the dashboard for the agreements of `agreements` (the whole
    portfolio as `audience` may see it) in `region`, and its breakdown by province."""
    _keys, (part,) = _cached_parts(agreements, audience, [region], every=False, today=today)
    return {**_added([part]), "provinces": breakdown_rows(part["provinces"], "province")}


def summary_figures(agreements: QuerySet, audience: str, *, today: date | None = None) -> Summary:
    """The totals of the whole portfolio as `audience` may see it (an unfiltered list's): the summaries
    of the parts in the cache, and the sums of the other regions (a query over their agreements for
    each kind of part, kept by region apart from the parts, which a dashboard computes whole)."""
    regions = region_parts()
    # The parts a dashboard left in the cache; not from the database, where a part is read whole.
    keys, found = _parts_found(audience, regions, today, stored=False)
    sums = _summed_rows(agreements, audience, regions, keys[PART], found, "summary")
    statuses = _summed_rows(agreements, audience, regions, keys[PROJECTS_PART], found, "statuses")
    total = _sum_groups(sums, ())
    return summary_of(total[0] if total else dict.fromkeys(kept_sums()), _sum_groups(statuses, ("key",)))


def partner_figures(
    organisation, agreements: QuerySet, audience: str, *, today: date | None = None
) -> Summary:
    """`partner_summary` of `organisation` over the whole portfolio as `audience` may see it, kept by
    region under the versions of the regions' parts: after a write, the partner's sums in the region
    written are computed again, the others read (a national partner has a partnership in most
    agreements)."""
    regions = region_parts()
    keys = _part_keys(audience, regions, today)
    own = {part: f"shiraka:national-partner:{organisation.pk}:{keys[PART][part]}" for part in regions}

    def compute(missing: list) -> dict:
        scoped = agreements if len(missing) == len(regions) else in_regions(agreements, missing)
        return _by_region(missing, partner_sums(organisation, scoped, "region"), "agreement__region")

    kept = cache.kept_by_part(own, compute)
    return partner_summary_of([row for part in regions for row in kept[part]])


def _by_region(regions: list, rows, by: str) -> dict[int | None, list[dict]]:
    """Rows grouped by region (`by`), split by region, without it: those of `regions`."""
    split = {part: [] for part in regions}
    for row in rows:
        split[row.pop(by)].append(row)
    return split


def _summed_rows(
    agreements: QuerySet, audience: str, regions: list, keys: dict, found: dict, name: str
) -> list[dict]:
    """The rows `name` of every region: from its part where the cache holds it, else from its rows of
    this kind kept on their own under the same version (a list computes those alone, not the whole
    part); the regions that have neither are computed by one query grouped by region, so that after
    a write in one region the others are read, not summed again."""
    own = {part: f"shiraka:national-{name}:{keys[part]}" for part in regions if keys[part] not in found}
    kept = cache.kept_by_part(
        own,
        lambda missing: _summed(
            agreements, missing, name, every=len(missing) == len(regions), audience=audience
        ),
    )
    return [row for part in regions for row in (kept[part] if part in kept else found[keys[part]][name])]


def _summed(agreements: QuerySet, regions: list, name: str, *, every: bool, audience: str = "") -> dict:
    """The rows `name` ("summary" or "statuses") of each region of `regions`, by region (one region
    of an `audience`: by queries compiled once, as `_parts`)."""
    rows_of = _rows_of(agreements, regions, every=every, audience=audience)
    if name == "summary":
        return _by_region(regions, rows_of(name, lambda scoped: agreement_groups(scoped, "region")), "region")
    rows = rows_of(name, lambda scoped: project_groups(scoped, STATUS, "region"))
    return _by_region(regions, rows, "agreement__region")


def _digest(keys: list[str]) -> str:
    return hashlib.sha256(" ".join(keys).encode()).hexdigest()


def _parts_found(audience: str, regions: list, today, *, stored: bool = True) -> tuple[dict, dict]:
    """The key of each kind of part of each region, and the parts the cache or (`stored`) the
    database hold (by key)."""
    keys = _part_keys(audience, regions, today)
    wanted = [key for family in keys.values() for key in family.values()]
    return keys, cache.get_many(wanted, stored=stored)


# What a part's rows hold: a release that changes it (2: the regions' English names) changes this, and
# the parts an earlier release kept in the database are summed again rather than read, or reported
# by `shiraka figures --verify` as differing.
PARTS_LAYOUT = 2


def _part_keys(audience: str, regions: list, today) -> dict:
    """The key of each kind of part of each region: its slot, then the versions it is computed at (a
    key kept in the database too)."""
    today = today or local_today()
    ensure_current(today)
    epoch, versions = cache.figures_versions(list(FAMILIES))
    keys = {}
    for family in FAMILIES:
        keys[family] = {
            part: (
                f"shiraka:national:{audience}:{family}:{part_name(part)}"
                f"@{epoch}:{today.isoformat()}:{versions[family][part_name(part)]}:{PARTS_LAYOUT}"
            )
            for part in regions
        }
    return keys


def _cached_parts(
    agreements: QuerySet, audience: str, regions: list, *, every: bool, today
) -> tuple[list[str], list[dict]]:
    """The keys and the parts of `regions`, from the cache where current, the others computed together
    (`every`: `regions` are all there are). The parts are shared: read, never changed."""
    keys, found = _parts_found(audience, regions, today)
    for family, by_region in keys.items():
        stale = [part for part in regions if by_region[part] not in found]
        if stale:
            computed = _parts(
                agreements,
                stale,
                family=family,
                every=every and len(stale) == len(regions),
                audience=audience,
            )
            values = {by_region[part]: computed[part] for part in stale}
            cache.set_many(values)
            found.update(values)
    parts = [
        {name: rows for family in keys.values() for name, rows in found[family[part]].items()}
        for part in regions
    ]
    return [family[part] for family in keys.values() for part in regions], parts


def _parts(
    agreements: QuerySet, regions: list, *, family: str = PART, every: bool = False, audience: str = ""
) -> dict:
    """The raw sums of the kind `family` of each region in `regions` (None: agreements without a
    region), by region; `every`: `regions` are all there are (no filter on the region). One region of
    an `audience` (the part a write made stale, summed again by the next reader) is summed by queries
    compiled once per process: Django spent longer building and compiling them than SQLite running
    them."""
    rows_of = _rows_of(agreements, regions, every=every, audience=audience)
    region = "agreement__region"
    parts = {part: {name: [] for name in FAMILIES[family]} for part in regions}
    if family == PART:
        queries = {
            **{name: (rows, "region") for name, rows in _agreement_breakdowns(rows_of).items()},
            "partners": (
                with_partner_names(
                    rows_of("partners", lambda scoped: named_partner_groups(scoped, "region"))
                ),
                region,
            ),
        }
    else:
        projects = {STATUS: [], CATEGORY: []}
        for row in rows_of("projects", lambda scoped: project_groups(scoped, None, "region")):
            projects[row.pop("dimension")].append(row)
        queries = {
            "statuses": (projects[STATUS], region),
            "categories": (projects[CATEGORY], region),
            "quarters": (rows_of("quarters", lambda scoped: quarter_groups(scoped, "region")), region),
        }
    for name, (rows, by) in queries.items():
        for row in rows:
            # A region's own row keeps its key (the breakdown reads it); the others are summed.
            parts[row[by] if name == "regions" else row.pop(by)][name].append(row)
    return parts


def _rows_of(agreements: QuerySet, regions: list, *, every: bool, audience: str):
    """`rows_of(name, build)`: the rows of `build(agreements of regions)`, compiled once per process
    under `name` and the audience when they are one region's of an audience."""
    if audience and not every and len(regions) == 1 and regions[0] is not None:

        def prepared(name: str, build) -> list:
            return prepared_rows(
                f"national-part:{audience}:{name}",
                lambda key: build(in_regions(agreements, [key])),
                regions[0],
            )

        return prepared
    scoped = agreements if every else in_regions(agreements, regions)
    return lambda _name, build: list(build(scoped))


# Each breakdown of the agreements' sums, by the fields (and the names) it is grouped by.
BREAKDOWNS = {
    "regions": ("region", *label_fields("region")),
    "summary": ("region",),
    "programmes": ("region", "programme", *label_fields("programme")),
    "provinces": ("region", "province", *label_fields("province")),
}


def _agreement_breakdowns(rows_of) -> dict[str, list[dict]]:
    """The sums of each region, and by programme and by province within it: one GROUP BY on the three,
    added up here (counts and sums of centimes: the same as a GROUP BY on each)."""
    fields = list(dict.fromkeys(field for names in BREAKDOWNS.values() for field in names))
    rows = rows_of("breakdowns", lambda scoped: agreement_groups(scoped, *fields))
    sums = list(kept_sums())
    return {
        name: _sum_groups(({key: row[key] for key in (*by, *sums)} for row in rows), by)
        for name, by in BREAKDOWNS.items()
    }


def _added(parts: list[dict]) -> dict:
    """The national figures from the parts: each group's sums added across regions."""
    totals = {
        name: _sum_groups((row for part in parts for row in part[name]), by) for name, by in SUMMED.items()
    }
    summary = totals["summary"][0] if totals["summary"] else dict.fromkeys(kept_sums())
    return {
        "summary": summary_of(summary, totals["statuses"]),
        "regions": breakdown_rows([row for part in parts for row in part["regions"]], "region"),
        "programmes": breakdown_rows(totals["programmes"], "programme"),
        "partners": _top_partners(totals["partners"]),
        "categories": category_rows(totals["categories"]),
        "progress_points": quarter_points(sorted(totals["quarters"], key=lambda row: row["quarter"])),
    }


def _sum_groups(rows: Iterable[dict], by: tuple) -> list[dict]:
    """Rows of the same group (same values of `by`) added up: numbers summed, a sum of no value
    staying None as SQL's SUM gives it, labels kept. (A dashboard adds up 1,500 partner rows after
    each write: the names summed are found once, from a group's first row, not tested value by
    value; a label is text, or named after its link, `organisation__name_fr`.)"""
    groups: dict[tuple, dict] = {}
    summed: list[str] | None = None
    for row in rows:
        key = tuple(row[name] for name in by)
        into = groups.get(key)
        if into is None:
            groups[key] = dict(row)
            continue
        if summed is None:
            summed = [
                name
                for name, value in into.items()
                if name not in by and "__" not in name and not isinstance(value, str)
            ]
        for name in summed:
            value = row[name]
            if value is not None:
                held = into[name]
                into[name] = value if held is None else held + value
    return list(groups.values())


def _top_partners(rows: list[dict]) -> list[dict]:
    """The partners in `breakdown_by_partner`'s order: largest arrears, then largest commitment
    (none: last), then the partner's key."""
    return heapq.nsmallest(
        PARTNERS_SHOWN,
        rows,
        key=lambda r: (
            r["arrears_sum"] is None,
            -(r["arrears_sum"] or 0),
            r["committed_sum"] is None,
            -(r["committed_sum"] or 0),
            r["organisation"],
        ),
    )


def _on_figures_refreshed(sender, agreement_ids, today, cause=None, **kwargs) -> None:
    """The regions whose figures a write changed: their parts are stale once it commits."""
    families = (PART,) if cause in figures.MONEY_CAUSES else tuple(FAMILIES)
    bump_regions_of(families, None if len(agreement_ids) > FEW_AGREEMENTS else agreement_ids)


def _audiences() -> dict[str, QuerySet]:
    """Each audience's agreements, as `visible_agreements` gives them to a member and to the public."""
    return {"all": Agreement.objects.all(), "published": visible_agreements(AnonymousUser())}


def keep_day_parts(today: date) -> bool:
    """Today's parts of both audiences summed before a reader asks (`shiraka figures --today`);
    whether any had to be."""
    regions = region_parts()
    had_to = False
    for audience, agreements in _audiences().items():
        keys, found = _parts_found(audience, regions, today)
        if any(key not in found for by_region in keys.values() for key in by_region.values()):
            _cached_parts(agreements, audience, regions, every=True, today=today)
            had_to = True
    return had_to


def verify_kept_parts(today: date) -> list[figures.Difference]:
    """Each region's part kept in the database at today's versions next to the same part summed again
    from the kept figures (which `verify_figures` checks against the rows): what a reader is given.
    Parts not current are not checked: no reader is given them, the next one sums them again."""
    differences = []
    regions = region_parts()
    for audience, agreements in _audiences().items():
        keys = _part_keys(audience, regions, today)
        for family, by_region in keys.items():
            compute = functools.partial(_parts, agreements, family=family)
            differences += _part_differences(f"{audience} {family}", by_region, compute)
        for name, family in (("summary", PART), ("statuses", PROJECTS_PART)):
            own = {part: f"shiraka:national-{name}:{key}" for part, key in keys[family].items()}
            compute = functools.partial(_summed, agreements, name=name, every=False)
            differences += _part_differences(f"{audience} {name}", own, compute)
    return differences


def _part_differences(what: str, keys: dict, compute) -> list[figures.Difference]:
    """The parts kept in the database under `keys` (by region) next to `compute(regions)`."""
    differences = []
    for part, value, wanted in kept.held_and_summed(keys, compute):
        if same_part(value, wanted):
            continue
        # The first group of rows that differs, each side told by its size and what its numbers add to.
        names = (
            [n for n in wanted if not same_part(value.get(n), wanted[n])] if isinstance(wanted, dict) else []
        )
        field, rows = (
            (names[0], (value.get(names[0]), wanted[names[0]])) if names else ("sums", (value, wanted))
        )
        differences.append(
            figures.Difference(f"region part ({what})", part_name(part), field, *map(_brief, rows))
        )
    return differences


def _brief(rows) -> str:
    if not isinstance(rows, list):
        return repr(rows)[:80]
    total = sum(v for row in rows for v in row.values() if isinstance(v, int) and not isinstance(v, bool))
    return f"{len(rows)} groups (numbers adding up to {total})"


def same_part(held, computed) -> bool:
    """Whether two parts hold the same groups with the same sums (progress within `same_figure`)."""
    if isinstance(held, dict) and isinstance(computed, dict):
        return held.keys() == computed.keys() and all(same_part(held[k], computed[k]) for k in held)
    if isinstance(held, list) and isinstance(computed, list):

        def order(row):
            items = row.items() if isinstance(row, dict) else enumerate(row)
            return sorted((str(k), repr(v)) for k, v in items if not isinstance(v, float))

        pairs = zip(sorted(held, key=order), sorted(computed, key=order), strict=False)
        return len(held) == len(computed) and all(same_part(a, b) for a, b in pairs)
    if isinstance(held, tuple) and isinstance(computed, tuple):
        return same_part(list(held), list(computed))
    return figures.same_figure(held, computed)


def connect() -> None:
    # Their saves refresh the figures of the agreements they belong to, which reports the regions.
    cache.report_by_agreement(*figures.ROW_PATHS)
    figures.figures_refreshed.connect(_on_figures_refreshed, dispatch_uid="national-figures-parts")
    if verify_kept_parts not in figures.KEPT_CHECKS:
        figures.KEPT_CHECKS.append(verify_kept_parts)
        figures.DAY_KEEPERS.append(("region figures", keep_day_parts))
