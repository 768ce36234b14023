"""The text kept between the two pages, in the server-side session under a random token.

Only the text is kept: the extraction is deterministic, so each request reads it again. Which rows
exist and which communes a project may be placed in are derived from it, never from what the
browser sends back."""

import secrets

SESSION_KEY = "shiraka_extract_drafts"
DRAFTS_KEPT = 2  # texts kept per session (each up to 50,000 characters)


def _drafts(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def draft_store(request, text: str) -> str:
    token = secrets.token_urlsafe(12)
    drafts = _drafts(request)
    drafts[token] = {"text": text, "created": {}}
    while len(drafts) > DRAFTS_KEPT:
        drafts.pop(next(iter(drafts)))
    request.session[SESSION_KEY] = drafts
    return token


def draft_load(request, token: str) -> dict | None:
    """{"text": the text, "created": {agreement index as str: reference of the agreement created}}."""
    return _drafts(request).get(token)


def draft_created(request, token: str, index: int, reference: str) -> None:
    drafts = _drafts(request)
    if token in drafts:
        drafts[token]["created"][str(index)] = reference
        request.session[SESSION_KEY] = drafts
        request.session.modified = True
