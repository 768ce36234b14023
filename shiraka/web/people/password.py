"""A forgotten password: Django's reset view, with a bound on how many e-mails it sends, so that the
form cannot flood an inbox or the mail server. Past the bound the visitor gets the same answer as
always (nothing tells whether an address has an account) and the refusal is logged."""

import hashlib
import logging

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect

from shiraka.web.kit.security_log import client_address

log = logging.getLogger("shiraka.security")
WINDOW = 3600  # seconds
PER_ADDRESS = 3  # e-mails to one address per hour
PER_CLIENT = 20  # requests from one client per hour


def _over(kind: str, value: str, limit: int) -> bool:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"shiraka:password-forgotten:{kind}:{digest}"
    if cache.add(key, 1, WINDOW):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW)
        return False


class ForgottenPasswordView(auth_views.PasswordResetView):
    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        client = client_address(self.request)
        if _over("client", client, PER_CLIENT) or _over("address", address, PER_ADDRESS):
            log.warning("password reset refused: too many requests")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def notice_view(view_class, title, message, *, login_is_next: bool = False):
    """`view_class` (a step of Django's password reset) as a notice of where the password stands, with
    the way to the login: one template for each such page."""
    return view_class.as_view(
        template_name="registration/notice.html",
        extra_context={"title": title, "message": message, "login_is_next": login_is_next},
    )
