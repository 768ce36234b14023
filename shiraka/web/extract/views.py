"""The two extract pages.

Step 1 (`web:extract`): paste a press release or upload a file (.txt, .docx, .pdf); bad input is
refused with a message and nothing changes.
Step 2 (`web:extract_review`): the text with every extracted value highlighted, beside a pre-filled
form per agreement the text reports; confirming one creates it (one transaction) and opens its page.

Only administrators and secretariats (within their own scope) reach them; anonymous visitors are
sent to the login page, other roles get 403.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shiraka.accounts.access import can_create_in_own_scope
from shiraka.extraction.documents import MAX_TEXT_CHARS
from shiraka.intake.proposal import DraftReading, proposals

from .forms import REFUSAL_MESSAGES, DraftSourceForm
from .highlight import draft_spans, highlight, legend
from .review import confirm, organisation_choices, review_of
from .session import draft_created, draft_load, draft_store


def creators_only(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_create_in_own_scope(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@creators_only
def extract_start(request):
    form = DraftSourceForm(request.POST, request.FILES) if request.method == "POST" else DraftSourceForm()
    if form.is_valid():
        return redirect("web:extract_review", token=draft_store(request, form.cleaned_data["source"]))
    return render(request, "web/extract/start.html", {"form": form})


def _posted_index(request, count: int) -> int | None:
    """The agreement a POST confirms; 404 for an index the text does not have."""
    if request.method != "POST":
        return None
    try:
        posted = int(request.POST.get("agreement", ""))
    except ValueError:
        raise Http404 from None
    if not 0 <= posted < count:
        raise Http404
    return posted


@creators_only
def extract_review(request, token: str):
    stored = draft_load(request, token)
    if stored is None:
        messages.warning(
            request, _("This draft is no longer kept (it expires with your session): paste the text again.")
        )
        return redirect("web:extract")
    if len(stored["text"]) > MAX_TEXT_CHARS:
        # Kept from before the limit: refused as the start page would refuse it now.
        messages.warning(request, REFUSAL_MESSAGES["too_long"])
        return redirect("web:extract")
    reading = DraftReading(stored["text"])
    posted = _posted_index(request, len(reading.result.agreements))
    if posted is not None and str(posted) in stored["created"]:
        # Confirmed twice (double submission, back button): the agreement already created.
        return redirect("web:agreement", reference=stored["created"][str(posted)])
    organisations = organisation_choices(reading)
    reviews = []
    for proposal in proposals(reading):
        data = request.POST if proposal.index == posted else None
        review = review_of(reading, proposal, user=request.user, organisations=organisations, data=data)
        review.created = stored["created"].get(str(proposal.index))
        reviews.append(review)
    if posted is not None:
        agreement = confirm(reading, reviews[posted], request.user)
        if agreement is not None:
            draft_created(request, token, posted, agreement.reference)
            messages.success(
                request,
                _("The agreement %(reference)s was created as a draft.") % {"reference": agreement.reference},
            )
            return redirect("web:agreement", reference=agreement.reference)
    context = {
        "token": token,
        "text_html": highlight(reading.text, draft_spans(reading.result, reading.attendees)),
        "language": reading.language,
        "reviews": reviews,
        "legend": legend(),
        "posted": posted,
        "action": reverse("web:extract_review", kwargs={"token": token}),
    }
    return render(request, "web/extract/review.html", context, status=200 if posted is None else 400)
