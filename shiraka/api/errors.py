"""Every refusal as a JSON body `{"detail", "code", "errors"}` with the right status, in the language
of the request's Accept-Language (Arabic by default): 400 unreadable body, 401 token, 403 not allowed,
404 missing or hidden, 409 stale version, 422 invalid values or a rule of the domain."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DomainRefusal
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaRefusal

from shiraka.core.services import VersionConflict

from .auth import TokenRefused


def found(queryset):
    """The one record of `queryset`, or the 404 a missing and a hidden record share."""
    record = queryset.first()
    if record is None:
        raise Http404
    return record


def refusal(api, request, status: int, detail: str, code: str, errors: list | None = None, **extra):
    body = {"detail": str(detail), "code": code, "errors": errors or [], **extra}
    return api.create_response(request, body, status=status)


# Pydantic's error types, said in the user's language (Django's own catalogue has most of these).
def _schema_message(error: dict) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_long", "too_long"}:
        return _("This text is too long (at most %(limit)s characters).") % {
            "limit": context.get("max_length", "")
        }
    if kind in {"less_than_equal", "less_than", "greater_than_equal", "greater_than"}:
        limit = next(iter(context.values()), "")
        return _("This value is out of the accepted range (limit: %(limit)s).") % {"limit": limit}
    if kind.startswith("int") or kind == "decimal_parsing" or kind.startswith("float"):
        return _("Enter a number.")
    if kind.startswith("decimal"):
        return _("An amount has at most two decimals (centimes).")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of the accepted values: %(values)s.") % {"values": context.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    return _("Enter a valid value.")


def _location(error: dict) -> str:
    # ("body", "payload", "amount") → "amount"; ("query", "year") → "year"
    parts = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


def _domain_errors(error: DomainRefusal) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": field, "message": message, "code": inner.code or "invalid"}
            for field, inners in error.error_dict.items()
            for inner in inners
            for message in inner.messages
        ]
    return [
        {"field": "__all__", "message": message, "code": error.code or "invalid"}
        for message in error.messages
    ]


def install(api) -> None:
    @api.exception_handler(Http404)
    def not_found(request, exc):
        return refusal(api, request, 404, _("Not found, or not visible to you."), "not_found")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return refusal(api, request, 403, _("Your role does not allow this operation."), "forbidden")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        if isinstance(exc, TokenRefused):
            detail = _("This API token is not valid: it may have been revoked, or its owner deactivated.")
        else:
            detail = _("Send a personal API token: Authorization: Bearer <token>.")
        response = refusal(api, request, 401, detail, "unauthenticated")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:
            return refusal(api, request, 400, _("The request body is not valid JSON."), "bad_request")
        return refusal(api, request, exc.status_code, str(exc), "error")

    @api.exception_handler(VersionConflict)
    def conflict(request, exc):
        return refusal(
            api,
            request,
            409,
            exc.messages[0],
            "version_conflict",
            current_version=exc.current.version,
        )

    @api.exception_handler(DomainRefusal)
    def refused(request, exc):
        errors = _domain_errors(exc)
        return refusal(api, request, 422, errors[0]["message"], "invalid", errors)

    @api.exception_handler(SchemaRefusal)
    def invalid(request, exc):
        errors = [
            {
                "field": _location(error),
                "message": _schema_message(error),
                "code": error.get("type", "invalid"),
            }
            for error in exc.errors
        ]
        first = errors[0] if errors else {"field": "", "message": _("Enter a valid value.")}
        return refusal(api, request, 422, f"{first['field']}: {first['message']}", "invalid", errors)
