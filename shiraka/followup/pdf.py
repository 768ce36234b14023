"""Minutes of a committee meeting as PDF, in Arabic (right to left) or in French, with WeasyPrint.

The HTML is rendered by a Django template in the requested language, then laid out by WeasyPrint
(Pango shapes the Arabic: joined letters, right-to-left runs). Fonts come from the system
(Debian's fonts-noto-core); nothing is fetched from the network. The status reports (reporting) are
printed the same way: `printed_html` and `pdf_of`, their templates extending followup/print_base.html."""

import unicodedata

from django.template.loader import render_to_string
from django.utils import translation

from shiraka.core.rules import today as local_today

from .selectors import meeting_detail

LANGUAGES = ("ar", "fr", "en")


def text_direction(text: str | None) -> str:
    """ "rtl" or "ltr" from the first letter with a strong direction (WeasyPrint has no dir="auto")."""
    for char in text or "":
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return ""


def minutes_context(meeting) -> dict:
    committee = meeting.committee
    figures = meeting_detail(meeting)
    for decision in figures["decisions"]:
        decision.text_dir = text_direction(decision.text)
    return {
        "meeting": meeting,
        "committee": committee,
        **figures,
        "dirs": {
            "agenda": text_direction(meeting.agenda),
            "minutes": text_direction(meeting.minutes),
            "place": text_direction(meeting.place),
        },
        "members": list(committee.members.select_related("organisation", "person").order_by("pk")),
        "today": local_today(),
    }


def printed_html(template: str, language: str, languages, context) -> str:
    """`template` (one that extends followup/print_base.html) rendered in `language`, one of
    `languages`, with what `context()` returns, computed in that language too."""
    if language not in languages:
        raise ValueError(f"unsupported language: {language}")
    with translation.override(language):
        return render_to_string(
            template, {**context(), "language": language, "rtl": translation.get_language_bidi()}
        )


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"a printed document fetches nothing from the network ({url})")


def pdf_of(html: str) -> bytes:
    """The PDF WeasyPrint lays out from `html`, with the system's fonts and nothing fetched."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_network).write_pdf()


def minutes_html(meeting, *, language: str = "ar") -> str:
    return printed_html("followup/minutes.html", language, LANGUAGES, lambda: minutes_context(meeting))


def minutes_pdf(meeting, *, language: str = "ar") -> bytes:
    return pdf_of(minutes_html(meeting, language=language))
