"""What a citizen reads: the portal's home, the province map, the equity comparison and the open-data
downloads. Every page reads the agreements the reader may see (published ones for a visitor) through
`shiraka.accounts.access` and the figures through `shiraka.reporting.selectors`."""

from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from shiraka.accounts.access import is_member, visible_agreements, visible_projects
from shiraka.agreements.models import Agreement
from shiraka.core.cache import cached_figures
from shiraka.core.formatting import format_amount, format_millions
from shiraka.portfolio.selectors import portfolio_summary
from shiraka.projects.models import Project
from shiraka.reporting.geo import provinces_geojson
from shiraka.reporting.selectors import national_figures, project_points, province_figures, region_figures
from shiraka.territory.models import Region

from ..pages.charts import number_marks
from . import open_data

MEASURES = {
    "per_inhabitant": gettext_lazy("Investment per inhabitant"),
    "committed": gettext_lazy("Committed"),
    "arrears": gettext_lazy("Arrears"),
    "late": gettext_lazy("Projects with a late milestone"),
}
STATUS_COLOURS = {
    "planned": "#6c757d",
    "studies": "#6f42c1",
    "tendering": "#0d6efd",
    "works": "#fd7e14",
    "delivered": "#20c997",
    "in_service": "#198754",
    "suspended": "#dc3545",
    "cancelled": "#343a40",
}


def _scope(request) -> str:
    return "member" if is_member(request.user) else "public"


def territory_figures(request) -> dict:
    """Provinces, regions and the country, once per data version, reader's scope and language."""
    agreements = visible_agreements(request.user)

    def compute():
        regions = region_figures(agreements)
        return {
            "provinces": province_figures(agreements),
            "regions": regions,
            "national": national_figures(regions, agreements),
        }

    return cached_figures("territories", _scope(request), compute)


def _measure_value(row, measure: str) -> tuple[float | None, str]:
    """The number the map colours by and the same number as the page writes it."""
    if measure == "per_inhabitant":
        value = row.per_inhabitant
        return (float(value), format_amount(value)) if value is not None else (None, "—")
    if measure == "late":
        return float(row.late), str(row.late)
    amount = getattr(row, measure)
    return float(amount / Decimal(1_000_000)), format_millions(amount)


def map_data(request, provinces, measure: str, region: str | None) -> dict:
    """What `static/pictures/map.js` draws: boundaries URL, each province's figures, project points."""
    return {
        "geojson": reverse("web:provinces_geojson"),
        "measure": measure,
        "measures": {key: str(label) for key, label in MEASURES.items()},
        "region": region,
        "province_url": reverse("web:province", args=["CODE"]),
        "figures": {
            row.code: {
                "name": row.name,
                "region": row.region_code,
                "values": {key: _measure_value(row, key)[0] for key in MEASURES},
                "labels": {key: _measure_value(row, key)[1] for key in MEASURES},
            }
            for row in provinces
        },
        "points": cached_figures(
            "map-points", _scope(request), lambda: project_points(visible_agreements(request.user))
        ),
        "project_url": reverse("web:project", args=["REF"]),
        "statuses": {
            value: {"label": str(label), "colour": STATUS_COLOURS.get(value, "#6c757d")}
            for value, label in Project.Status.choices
        },
        "no_data": _("none, or no data"),
        "attribution": _("Boundaries © OpenStreetMap contributors (ODbL)"),
        "rtl": request.LANGUAGE_CODE == "ar",
        "marks": number_marks(),
    }


def _region_param(request) -> str | None:
    code = request.GET.get("region", "")
    return code if code and Region.objects.filter(code=code).exists() else None


def _measure_param(request, default: str = "per_inhabitant") -> str:
    measure = request.GET.get("measure", default)
    return measure if measure in MEASURES else default


@require_GET
def map_page(request):
    figures = territory_figures(request)
    region = _region_param(request)
    measure = _measure_param(request)
    provinces = [r for r in figures["provinces"] if region is None or r.region_code == region]
    rows = sorted(
        provinces,
        key=lambda r: (_measure_value(r, measure)[0] is None, -(_measure_value(r, measure)[0] or 0)),
    )
    return render(
        request,
        "web/portal/map.html",
        {
            "map": map_data(request, figures["provinces"], measure, region),
            "rows": [(row, _measure_value(row, measure)[1]) for row in rows],
            "measure": measure,
            "measures": MEASURES.items(),
            "measure_label": MEASURES[measure],
            "regions": figures["regions"],
            "region": next((r for r in figures["regions"] if r.code == region), None),
        },
    )


EQUITY_SORTS = {
    "name": lambda r: r.name,
    "population": lambda r: r.population or 0,
    "per_inhabitant": lambda r: r.per_inhabitant or 0,
    "committed": lambda r: r.committed,
    "transferred": lambda r: r.transferred,
    "arrears": lambda r: r.arrears,
    "projects": lambda r: r.projects_per_10k or 0,
    "beds": lambda r: r.beds_per_10k or 0,
}


@require_GET
def equity(request):
    figures = territory_figures(request)
    region = _region_param(request)
    sort = request.GET.get("sort", "-per_inhabitant")
    key = sort.lstrip("-")
    if key not in EQUITY_SORTS:
        sort, key = "-per_inhabitant", "per_inhabitant"
    provinces = [r for r in figures["provinces"] if region is None or r.region_code == region]
    provinces.sort(key=EQUITY_SORTS[key], reverse=sort.startswith("-"))
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "web/portal/equity.html",
        {
            "rows": provinces,
            "sort": sort,
            "sort_query": query.urlencode(),
            "national": figures["national"],
            "regions": figures["regions"],
            "region": next((r for r in figures["regions"] if r.code == region), None),
            "map": map_data(request, figures["provinces"], _measure_param(request), region),
            "measures": MEASURES.items(),
            "measure": _measure_param(request),
        },
    )


@require_GET
def portal(request):
    agreements = visible_agreements(request.user)
    summary = cached_figures("portal", _scope(request), lambda: portfolio_summary(agreements))
    latest = (
        visible_projects(request.user)
        .filter(
            agreement__status__in=[
                s for s, _label in Agreement.Status.choices if s not in ("draft", "cancelled")
            ]
        )
        .exclude(progress_updated_on=None)
        .select_related("province", "agreement")
        .order_by("-progress_updated_on", "reference")[:8]
    )
    return render(
        request,
        "web/portal/portal.html",
        {
            "summary": summary,
            "latest": latest,
            "regions": territory_figures(request)["regions"],
            "downloads": open_data.downloads(),
        },
    )


@require_GET
def provinces_geojson_file(request):
    """The simplified boundaries: the same bytes for every reader, cached by the browser for a day."""
    response = HttpResponse(provinces_geojson(), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response
