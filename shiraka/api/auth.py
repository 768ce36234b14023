"""Who is calling: a personal token (`Authorization: Bearer shk_…`), else the signed-in session for
reads, else an anonymous visitor, who reads what anonymous visitors see."""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from shiraka.accounts.services import api_token_user


class TokenRefused(AuthenticationError):
    """A token was sent and is not valid: refused even where an anonymous call would be answered."""

    def __init__(self):
        super().__init__(401, "token refused")


def token_bearer(request):
    """The user a sent token stands for; None when no token is sent; TokenRefused for a bad one."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRefused
    user = api_token_user(token.strip())
    if user is None:
        raise TokenRefused
    return user


def caller(request):
    """The user a read acts for (never None: an anonymous visitor is AnonymousUser)."""
    user = token_bearer(request)
    if user is not None:
        return user
    session_user = getattr(request, "user", None)
    if session_user is not None and session_user.is_authenticated:
        return session_user
    return AnonymousUser()


class WriteToken(HttpBearer):
    """Writes need a token: a session cookie alone would expose the API to cross-site requests."""

    def __call__(self, request):
        return token_bearer(request)

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return token_bearer(request)


write_token = WriteToken()
# Reads are open (anonymous visitors read published records); the token is optional for them.
OPTIONAL_TOKEN = {"security": [{}, {"WriteToken": []}]}
