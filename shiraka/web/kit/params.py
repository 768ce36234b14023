"""The one way a request's parameters come in. `BoundedInputMiddleware` runs before every view:
a path holding a NUL character is a 404 (PostgreSQL refuses NUL in any text it is sent); every query
string value loses its NUL characters and lone surrogates and is cut to a bounded length, so a filter
never reaches a query or a cache key as something the database or the cache cannot take. Numbers are
read by `whole_number` (from `shiraka.core.querying`, which the list filters use too); form fields by
the kit's forms, which refuse what they cannot read with a message on the field."""

import re

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import Http404, QueryDict

from shiraka.core.querying import MAX_ID, whole_number

__all__ = ["MAX_ID", "MAX_QUERY_VALUE", "BoundedInputMiddleware", "LoginForm", "bounded_text", "whole_number"]

MAX_QUERY_VALUE = 1_000  # no filter, search or page number is longer; texts come by POST
UNREADABLE = re.compile("[\x00\ud800-\udfff]")


def bounded_text(value: str, limit: int = MAX_QUERY_VALUE) -> str:
    return UNREADABLE.sub("", value[: limit * 2])[:limit]


def bounded_query(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for name, values in query.lists():
        cleaned.setlist(bounded_text(name, 100), [bounded_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class BoundedInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if UNREADABLE.search(request.path_info):
            raise Http404
        if request.GET:
            request.GET = bounded_query(request.GET)
        return self.get_response(request)


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with its username bounded before it reaches the authentication: Django
    sets the field's max_length after building it, so no validator checks it, and django-axes would
    store a 10,000-character name in its 255-character column (an error on PostgreSQL)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))
