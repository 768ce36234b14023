"""Thin views: they read through selectors and render."""

from django.shortcuts import get_object_or_404, render

from shiraka.agreements.selectors import (
    agreement_summary,
    agreements_visible_to,
    agreements_with_figures,
    breakdown,
    breakdown_by_category,
    breakdown_by_partner,
    partnerships_with_figures,
    portfolio_summary,
)

DASHBOARD_ROWS = 20


def dashboard(request):
    agreements = agreements_visible_to(request.user)
    latest = agreements_with_figures(
        agreements.select_related("region", "province", "programme").order_by("-signed_on", "-pk")
    )[:DASHBOARD_ROWS]
    return render(request, "web/dashboard.html", {
        "summary": portfolio_summary(agreements),
        "latest": latest,
        "regions": breakdown(agreements, "region"),
        "partners": breakdown_by_partner(agreements, limit=10),
        "categories": breakdown_by_category(agreements),
    })


def agreement_detail(request, reference: str):
    agreement = get_object_or_404(
        agreements_visible_to(request.user).select_related("region", "province", "programme", "parent"),
        reference=reference,
    )
    partnerships = partnerships_with_figures(agreement.partnerships.select_related("organisation")).order_by("pk")
    return render(request, "web/agreement_detail.html", {
        "agreement": agreement,
        "summary": agreement_summary(agreement),
        "partnerships": partnerships,
        "signatories": agreement.signatories.select_related("person", "organisation"),
        "attendees": agreement.attendees.all(),
        "projects": agreement.projects.select_related("facility_type", "province").prefetch_related("communes"),
        "committees": agreement.committees.select_related("chair"),
        "history": agreement.history.select_related("history_user").order_by("-history_date")[:20],
    })
