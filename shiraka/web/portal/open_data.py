"""Open-data downloads: the IATI activity file of the published agreements, and the list exports of
the exchange area when it offers them (the same files as its "export" links)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shiraka.accounts.access import visible_agreements
from shiraka.core.cache import cached_figures
from shiraka.reporting.iati import activities_xml

# The exchange area's list exports (`web:export`, ?format=…): what the lists show, as the reader sees it.
EXCHANGE_KINDS = ("agreements", "projects")
FORMATS = ("csv", "xlsx", "json")


def downloads() -> list[dict]:
    """Every file a visitor may download, described for the page; the exports when they exist."""
    files = [
        {
            "label": _("Agreements and projects, IATI 2.03 activity file"),
            "format": "XML",
            "url": reverse("web:open_data_iati"),
        }
    ]
    labels = {"agreements": _("Published agreements"), "projects": _("Projects of published agreements")}
    for kind in EXCHANGE_KINDS:
        try:
            base = reverse("web:export", args=[kind])
        except NoReverseMatch:
            continue
        files += [
            {"label": labels[kind], "format": fmt.upper(), "url": f"{base}?format={fmt}"} for fmt in FORMATS
        ]
    return files


@require_GET
def open_data(request):
    return render(request, "web/portal/open_data.html", {"downloads": downloads()})


@require_GET
def iati_file(request):
    """Published agreements only, whoever asks: open data is what the public may read."""
    content = cached_figures("iati", "public", lambda: activities_xml(visible_agreements(AnonymousUser())))
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shiraka-iati-activities.xml"'
    return response
