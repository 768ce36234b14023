"""Personal API tokens: each signed-in user creates, lists and revokes their own (shiraka.accounts.access
decides that a token is its owner's alone). A new token is shown once, on the page that follows its
creation, and never again: only its digest is kept."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shiraka.accounts import services
from shiraka.accounts.access import access_api_token, own_api_tokens
from shiraka.web.kit.forms import FAILED, ShirakaForm, run_service

SHOWN_ONCE = "shiraka_new_api_token"


class TokenForm(ShirakaForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What will use it, e.g. “province workbook sync”."),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form, lambda: services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        )
        if created is not FAILED:
            # Kept in the session for the one page that shows it, then dropped.
            request.session[SHOWN_ONCE] = created[1]
            return redirect("web:api_tokens")
    return render(
        request,
        "web/people/api_tokens.html",
        {
            "form": form,
            "new_token": request.session.pop(SHOWN_ONCE, None),
            "tokens": own_api_tokens(request.user),
            "api_docs": "/api/v1/docs",
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = access_api_token(request.user, pk)
    services.api_token_revoke(token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect(reverse("web:api_tokens"))
