"""Minutes of a committee meeting as PDF, in Arabic (right to left) or in French, with WeasyPrint.

The HTML is rendered by a Django template in the requested language, then laid out by WeasyPrint
(Pango shapes the Arabic: joined letters, right-to-left runs). Fonts come from the system
(Debian's fonts-noto-core); nothing is fetched from the network."""

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


def minutes_html(meeting, *, language: str = "ar") -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language}")
    with translation.override(language):
        return render_to_string(
            "followup/minutes.html",
            {**minutes_context(meeting), "language": language, "rtl": translation.get_language_bidi()},
        )


def _no_network(url: str, *args, **kwargs):
    raise ValueError(f"the minutes fetch nothing from the network ({url})")


def minutes_pdf(meeting, *, language: str = "ar") -> bytes:
    from weasyprint import HTML

    return HTML(string=minutes_html(meeting, language=language), url_fetcher=_no_network).write_pdf()
