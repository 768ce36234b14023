"""The reading pages: each view gets what the reader may see from `shiraka.accounts.access`, reads
its figures through the selectors and renders."""

from dataclasses import replace
from decimal import Decimal

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from shiraka.accounts.access import (
    access_agreement,
    access_project,
    can_create_in_own_scope,
    can_edit_agreement,
    can_edit_project,
    can_read_transfer_proof,
    can_record_transfer,
    home_scope,
    is_member,
    visible_agreements,
    visible_audience,
    visible_projects,
)
from shiraka.agreements.models import Agreement, Partnership, Programme
from shiraka.agreements.selectors import (
    AgreementFilters,
    agreement_attendees,
    agreement_children,
    agreement_schedule,
    agreement_search,
    agreement_signatories,
    agreement_transfer_rows,
    agreement_versions,
    framework_envelope,
)
from shiraka.core.cache import cached_figures
from shiraka.core.history import page_history
from shiraka.core.querying import KeysFirst, within
from shiraka.followup.selectors import agreement_committees
from shiraka.organisations.models import Organisation
from shiraka.portfolio.selectors import (
    agreement_page_rows,
    agreement_partnerships,
    agreement_summary,
    agreements_with_figures,
    breakdown,
    breakdown_by_category,
    breakdown_by_partner,
    partnerships_with_kept_figures,
    portfolio_summary,
)
from shiraka.projects.models import Category, Project
from shiraka.projects.selectors import (
    ProjectFilters,
    agreement_projects,
    project_page_rows,
    project_search,
    project_search_counted,
)
from shiraka.projects.selectors import project_detail as project_detail_data
from shiraka.reporting.national import dashboard_figures, partner_figures, region_figures, summary_figures
from shiraka.reporting.selectors import progress_by_quarter
from shiraka.territory.models import Province, Region

from ..kit.views import page_of, query_without, record_page
from . import charts, rows
from .choices import filter_choices
from .project_tables import project_tables

DASHBOARD_ROWS = 20


def _latest(agreements):
    """The latest agreements signed, with their figures, reading only what their rows show."""
    latest = agreements_with_figures(agreements.order_by("-signed_on", "-pk"))
    return rows.shown_fields(latest, rows.AGREEMENT_FIELDS)[:DASHBOARD_ROWS]


def dashboard(request):
    member = is_member(request.user)
    agreements = visible_agreements(request.user)
    scope = visible_audience(request.user)
    home = home_scope(request.user)
    wide = request.GET.get("scope") == "all"
    if home is not None and not wide:
        agreements = agreements.filter(home[0])
        scope = f"home:{type(home[1]).__name__}:{home[1].pk}"
    latest = _latest(agreements)
    if home is None or wide:  # the whole portfolio the reader may see: kept by region
        figures = dashboard_figures(agreements, scope)
    else:
        figures = cached_figures(
            "dashboard",
            scope,
            lambda: {
                "summary": portfolio_summary(agreements),
                "regions": breakdown(agreements, "region"),
                "programmes": breakdown(agreements, "programme"),
                "partners": breakdown_by_partner(agreements, limit=10),
                "categories": breakdown_by_category(agreements),
                "progress_points": progress_by_quarter(agreements),
            },
        )
    summary = figures["summary"]
    # Drafts count in no figure: those who may see them are told how many wait for a review.
    drafts = agreements.filter(status=Agreement.Status.DRAFT).count() if member else 0
    statuses = [
        (value, label, summary.projects_by_status.get(value, 0)) for value, label in Project.Status.choices
    ]
    return render(
        request,
        "web/dashboard.html",
        {
            "statuses": statuses,
            "latest": rows.agreement_rows(latest),
            "region_rows": rows.region_breakdown_rows(figures["regions"]),
            "programme_rows": rows.programme_breakdown_rows(figures["programmes"]),
            "partner_rows": rows.partner_rows(figures["partners"]),
            "category_rows": rows.category_rows(figures["categories"], linked=""),
            "drafts": drafts,
            "home": home[1] if home else None,
            "wide": wide,
            "can_create": can_create_in_own_scope(request.user),
            "charts": _charts(figures, statuses),
            **figures,
        },
    )


def _charts(figures: dict, statuses) -> dict:
    """The dashboard's and territory pages' pictures, from figures already counted."""
    result = {
        "partners": charts.partners_chart(figures["partners"]),
        "statuses": charts.statuses_chart(statuses),
        "categories": charts.categories_chart(figures["categories"]),
        "progress": charts.progress_chart(figures["progress_points"]),
    }
    for key, title, unknown in (
        ("regions", _("Transferred and arrears by region"), _("no region")),
        ("provinces", _("Transferred and arrears by province"), _("Whole region")),
        ("programmes", _("Transferred and arrears by programme"), _("no programme")),
    ):
        if figures.get(key):
            result[key] = charts.territories_chart(figures[key], title, unknown=unknown)
    return result


def agreement_list(request):
    filters = AgreementFilters.from_query(request.GET)
    queryset = agreement_search(visible_agreements(request.user), filters)
    shown = rows.shown_fields(agreement_page_rows(queryset, filters.sort), rows.AGREEMENT_FIELDS)
    page = page_of(request, shown, counted=queryset)
    return render(
        request,
        "web/agreement_list.html",
        {
            "page": page,
            "rows": rows.agreement_rows(page.object_list),
            "filters": filters,
            "query": query_without(request, "page"),
            "sort_query": query_without(request, "page", "sort"),
            "kinds": Agreement.Kind.choices,
            "statuses": Agreement.Status.choices,
            "can_create": can_create_in_own_scope(request.user),
            "partner": Organisation.objects.filter(pk=filters.partner).first() if filters.partner else None,
            "summary": _list_summary(request, filters, queryset),
            **filter_choices(),
        },
    )


def _list_summary(request, filters: AgreementFilters, queryset):
    """The list's totals: those of the whole portfolio kept by region when nothing is filtered."""
    audience = visible_audience(request.user)
    if replace(filters, sort=AgreementFilters.sort) == AgreementFilters():
        return summary_figures(queryset, audience)
    return cached_figures(
        "agreement-list",
        f"{audience}:{query_without(request, 'page', 'sort')}",
        lambda: portfolio_summary(queryset),
    )


def agreement_detail(request, reference: str):
    agreement = access_agreement(request.user, reference)
    partnerships = agreement_partnerships(agreement)  # each knows its agreement: no query per access check
    # Signatories, attendees, partners and schedule lines: who may add them may correct them.
    row_keeper, member = can_edit_agreement(request.user, agreement), is_member(request.user)
    schedule, projects = agreement_schedule(agreement), agreement_projects(agreement)
    return render(
        request,
        "web/agreement_detail.html",
        {
            "proof_readers": {p.pk for p in partnerships if can_read_transfer_proof(request.user, p)},
            "transfer_keepers": {p.pk for p in partnerships if can_record_transfer(request.user, p)},
            "row_keeper": row_keeper,
            "agreement": agreement,
            "summary": agreement_summary(agreement),
            "partnerships": partnerships,
            "partnership_rows": rows.partnership_rows(partnerships, row_keeper=row_keeper),
            "signatories": agreement_signatories(agreement),
            "attendees": agreement_attendees(agreement),
            "projects": projects,
            "project_rows": rows.agreement_project_rows(projects),
            "children": agreement_children(agreement),
            "committees": agreement_committees(agreement),
            "schedule": schedule,
            "schedule_rows": rows.schedule_rows(schedule, row_keeper=row_keeper, show_notes=member),
            "transfers": agreement_transfer_rows(agreement),
            "history": page_history(agreement, shown=member),
            "versions": agreement_versions(agreement),
            "envelope": framework_envelope(agreement),
        },
    )


def project_list(request):
    filters = ProjectFilters.from_query(request.GET)
    visible = visible_projects(request.user)
    queryset = project_search(visible, filters)
    page = page_of(
        request,
        rows.shown_fields(project_page_rows(queryset, filters.sort), rows.PROJECT_FIELDS),
        counted=project_search_counted(visible, filters),
    )
    return render(
        request,
        "web/project_list.html",
        {
            "page": page,
            "rows": rows.project_rows(page.object_list),
            "filters": filters,
            "query": query_without(request, "page"),
            "sort_query": query_without(request, "page", "sort"),
            "categories": Category.choices,
            "statuses": Project.Status.choices,
            **filter_choices(),
        },
    )


def project_detail(request, reference: str):
    project = access_project(request.user, reference)
    data = project_detail_data(project)
    return record_page(
        request,
        "web/project_detail.html",
        project,
        project=project,
        **data,
        **project_tables(project, data, is_member=is_member(request.user)),
        can_edit=can_edit_project(request.user, project),
    )


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(
        Organisation.objects.select_related("region", "province", "parent"), pk=pk
    )
    visible = visible_agreements(request.user)
    own = within(Partnership.objects.filter(organisation=organisation), "agreement", visible)
    # The page's partnerships chosen on their keys: SQLite sorted the ministry's 20,003 partnerships
    # with their agreements and figures (34 ms) for a page of 50.
    partnerships = KeysFirst(
        own.order_by("-agreement__signed_on", "pk"),
        lambda chosen: partnerships_with_kept_figures(chosen.select_related("agreement")),
    )
    projects = visible_projects(request.user).filter(Q(owner=organisation) | Q(delegated_owner=organisation))
    page = page_of(request, partnerships, counted=own)
    return record_page(
        request,
        "web/organisation_detail.html",
        organisation,
        organisation=organisation,
        summary=partner_figures(organisation, visible, visible_audience(request.user)),
        partnerships=page,
        chart=charts.agreements_chart(page.object_list),
        projects=projects.select_related("agreement", "province").order_by("reference")[:50],
        project_count=projects.count(),
    )


def _territory_figures(agreements, provinces=None) -> dict:
    return {
        "summary": portfolio_summary(agreements),
        "categories": breakdown_by_category(agreements),
        "partners": breakdown_by_partner(agreements, limit=10),
        "progress_points": progress_by_quarter(agreements),
        "provinces": provinces or [],
    }


def _territory_context(request, agreements, population, counted: dict, *, linked: str | None):
    """What a territory's or a programme's page shows; `linked`: the query its categories link the
    project list with (`rows.category_rows`)."""
    summary = counted["summary"]
    per_inhabitant = (summary.total_amount / population).quantize(Decimal("0.01")) if population else None
    figures = {name: counted[name] for name in ("categories", "partners", "progress_points", "provinces")}
    statuses = [
        (value, label, summary.projects_by_status.get(value, 0)) for value, label in Project.Status.choices
    ]
    return {
        "summary": summary,
        "per_inhabitant": per_inhabitant,
        "statuses": statuses,
        "charts": _charts(figures, statuses),
        "partner_rows": rows.partner_rows(figures["partners"]),
        "category_rows": rows.category_rows(figures["categories"], linked=linked),
        **figures,
    }


def _territory_page(request, territory, kind: str):
    """A region's or a province's page: its agreements' figures, and for a region its provinces'."""
    visible = visible_agreements(request.user)
    agreements = visible.filter(**{kind: territory})
    if kind == "region":  # kept by region (`reporting.national`)
        counted = region_figures(visible, visible_audience(request.user), territory.pk)
    else:
        counted = _territory_figures(agreements)
    context = _territory_context(
        request, agreements, territory.population_2024, counted, linked=f"{kind}={territory.pk}&"
    )
    context["province_rows"] = rows.province_breakdown_rows(context["provinces"])
    context["latest_items"] = rows.latest_agreement_items(_latest(agreements))
    return render(request, "web/territory_detail.html", {"territory": territory, "kind": kind, **context})


def region_detail(request, code: str):
    return _territory_page(request, get_object_or_404(Region, code=code), "region")


def province_detail(request, code: str):
    province = get_object_or_404(Province.objects.select_related("region"), code=code)
    return _territory_page(request, province, "province")


def programme_detail(request, pk: int):
    programme = get_object_or_404(Programme.objects.select_related("region"), pk=pk)
    agreements = visible_agreements(request.user).filter(programme=programme)
    context = _territory_context(request, agreements, None, _territory_figures(agreements), linked=None)
    regions = breakdown(agreements, "region")
    context["charts"]["regions"] = charts.territories_chart(
        regions, _("Transferred and arrears by region"), unknown=_("no region")
    )
    return render(
        request, "web/programme_detail.html", {"programme": programme, "regions": regions, **context}
    )
