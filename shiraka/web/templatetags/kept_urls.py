"""`{% url %}` as Django writes it, with each address kept once found.

A page names a hundred addresses or more (a list's rows, a record's tables, the menus), and Django
finds each one again by trying the URL patterns (40 µs apiece). The patterns never change while the
process runs, so an address is the same for the same view, arguments, language (the `/ar/` prefix),
script prefix, URL configuration and application namespace: it is kept under those. Only plain text
and whole-number arguments are kept (an object's text could change); anything else is found again.

Registered as a built-in library after Django's (settings: `TEMPLATES` `builtins`), so every
template's `{% url %}` is this one."""

from collections import OrderedDict
from threading import Lock

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

KEPT_ADDRESSES = 20_000
# A template's literal text is a SafeString; a str subclass of another kind may write itself otherwise.
KEPT_TYPES = (str, SafeString, int)
_kept: OrderedDict = OrderedDict()
_lock = Lock()
MISSING = object()


class KeptURLNode(URLNode):
    def render(self, context):
        key = self._key(context)
        url = MISSING if key is None else _kept.get(key, MISSING)
        if url is MISSING:
            rendered = super().render(context)
            if key is not None:
                _keep(key, context[self.asvar] if self.asvar else None, rendered)
            return rendered
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url

    def _key(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((name, value.resolve(context)) for name, value in self.kwargs.items()))
        values = args + tuple(value for _name, value in kwargs)
        if not all(type(value) in KEPT_TYPES for value in values):
            return None
        view_name = self.view_name.resolve(context)
        # The language is read each time: `{% language %}` changes it within a page.
        return (view_name, args, kwargs, get_language(), *_request_scope(getattr(context, "request", None)))


def _request_scope(request) -> tuple:
    """The script prefix, URL configuration and application namespace an address is found under: set
    before the view runs and the same for the whole request, so read once per request (each is a
    context-local lookup, and a page has a hundred addresses)."""
    scope = getattr(request, "_kept_url_scope", None)
    if scope is not None:
        return scope
    if hasattr(request, "current_app"):
        current_app = request.current_app
    else:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    scope = (get_script_prefix(), get_urlconf(), current_app)
    if request is not None and getattr(request, "resolver_match", None) is not None:
        request._kept_url_scope = scope
    return scope


class KeptAddresses:
    """`reverse(view_name, args=args)` for many rows written in Python, kept like a template's
    `{% url %}`: the language, script prefix and URL configuration are read once, when made (a
    list's rows are written under one language)."""

    def __init__(self):
        self.scope = (get_language(), get_script_prefix(), get_urlconf(), None)

    def __call__(self, view_name: str, *args) -> str:
        if not all(type(value) in KEPT_TYPES for value in args):
            return reverse(view_name, args=args)
        key = (view_name, args, (), *self.scope)
        url = _kept.get(key, MISSING)
        if url is MISSING:
            url = reverse(view_name, args=args)
            _keep(key, url, None)
        return url


def _keep(key, asvar_url, rendered) -> None:
    # Without `as`, the page got the escaped address; the address itself is what is kept.
    url = asvar_url if asvar_url is not None else rendered
    if asvar_url is None and "&" in rendered:
        return  # escaped by the page: keep only addresses that read the same either way
    with _lock:
        _kept[key] = url
        if len(_kept) > KEPT_ADDRESSES:
            _kept.popitem(last=False)


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
