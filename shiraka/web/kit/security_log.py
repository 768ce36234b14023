"""The request a security record belongs to: a log filter that adds its user and client address.
Imported by the logging configuration before the apps are ready, hence nothing heavy at import."""

import contextvars
import logging

current_request = contextvars.ContextVar("shiraka_current_request", default=None)


def client_address(request) -> str:
    """The client's address as django-axes reads it (X-Forwarded-For behind the proxy)."""
    if request is None:
        return "-"
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "-")


class RequestContext(logging.Filter):
    """Adds `user` and `address` to every security record, from the request being served."""

    def filter(self, record):
        request = current_request.get()
        if not hasattr(record, "user"):
            user = getattr(request, "user", None)
            record.user = user.get_username() if user is not None and user.is_authenticated else "-"
        if not hasattr(record, "address"):
            record.address = client_address(request)
        return True
