"""Sessions that end, and a trail of security events.

Sessions: an idle timeout (SESSION_COOKIE_AGE, renewed here at most once per
`SHIRAKA_SESSION_RENEW_SECONDS`) and an absolute lifetime counted from the sign-in
(`SHIRAKA_SESSION_MAX_AGE`), enforced here. Events: sign-ins, failed
sign-ins, lockouts, refused uploads (logged by `core.uploads`) and every 403, on the
`shiraka.security` logger with the user, the client's address (as django-axes reads it behind the
proxy) and the time. Never a password, a token or a cookie: the path of a first-login link is cut
before its token."""

import logging
import re
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .security_log import client_address, current_request

log = logging.getLogger("shiraka.security")
SIGNED_IN_AT = "shiraka:signed_in_at"
RENEWED_AT = "shiraka:renewed_at"
TOKEN_PATH = re.compile(r"/reset/[^/]+/[^/]+/")


def redacted(path: str) -> str:
    return TOKEN_PATH.sub("/reset/…/", path)


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware: ends a session past its absolute lifetime, and logs 403s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            self.enforce_lifetime(request)
            response = self.get_response(request)
            if response.status_code == 403:
                log.warning("forbidden: %s %s", request.method, redacted(request.path))
            return response
        finally:
            current_request.reset(token)

    @staticmethod
    def enforce_lifetime(request) -> None:
        if not request.user.is_authenticated:
            return
        started = request.session.get(SIGNED_IN_AT)
        if started is None:
            request.session[SIGNED_IN_AT] = time.time()
        elif time.time() - started > settings.SHIRAKA_SESSION_MAX_AGE:
            log.info("session ended: absolute lifetime reached")
            logout(request)
            return
        # A changed session is saved with a new expiry: the idle timeout starts again.
        if time.time() - request.session.get(RENEWED_AT, 0) >= settings.SHIRAKA_SESSION_RENEW_SECONDS:
            request.session[RENEWED_AT] = time.time()


@receiver(user_logged_in, dispatch_uid="shiraka-security-login")
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # Signing in writes the session: that is its first renewal.
        request.session[SIGNED_IN_AT] = request.session[RENEWED_AT] = time.time()
    log.info("sign-in", extra={"user": user.get_username(), "address": client_address(request)})


@receiver(user_login_failed, dispatch_uid="shiraka-security-login-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name typed is kept.
    username = str(credentials.get("username", ""))[:150]
    log.warning("sign-in failed", extra={"user": username or "-", "address": client_address(request)})


@receiver(user_locked_out, dispatch_uid="shiraka-security-lockout")
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    log.warning(
        "locked out after repeated failures",
        extra={"user": str(username or "-")[:150], "address": ip_address or client_address(request)},
    )
