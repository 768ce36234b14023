"""Status reports as PDF for the members (secretariats, partners, committees): an internal document
(it carries unpublished agreements and open decisions), so a visitor or an account without a
membership gets the 404 of a missing page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from shiraka.accounts.access import access_agreement, is_member
from shiraka.core.text import reader_language
from shiraka.reporting.reports import KINDS, LANGUAGES, ReportSubjectMissing


@login_required
@require_GET
def status_report(request, kind: str, key: str):
    # Imported here: the PDF engine is heavy and only this view needs it.
    from shiraka.reporting.reports import report_pdf

    if kind not in KINDS or not is_member(request.user):
        raise Http404
    if kind == "agreement":
        access_agreement(request.user, key)
    language = reader_language(request.GET.get("language"))
    if language not in LANGUAGES:
        language = "ar"
    try:
        content = report_pdf(kind, key, language=language)
    except ReportSubjectMissing:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="status-report-{kind}-{key}-{language}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
