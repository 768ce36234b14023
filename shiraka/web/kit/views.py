"""View helpers every web area shares: htmx detection, a record's page with its history, the form
page cycle (show, validate, call the service, redirect or show the refusal), pagination and query
strings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from shiraka.accounts.access import is_member
from shiraka.core.history import page_history

from .forms import FAILED, run_service

PAGE_SIZE = 50


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def post_data(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


class _Paginator(Paginator):
    def __init__(self, object_list, per_page, counted=None):
        super().__init__(object_list, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted.count() if self.counted is not None else super().count


def page_of(request, queryset, size: int = PAGE_SIZE, *, counted=None):
    """The page the query string asks for. `counted`: the same rows without what `queryset` adds to
    each (annotations, joins), for the count: a LEFT JOIN of every row's figures cost 13 ms at 20k."""
    return _Paginator(queryset, size, counted).get_page(request.GET.get("page"))


def query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def record_page(request, template: str, record, /, **context):
    """The page of `record` with its history: who changed what is shown to members only."""
    return render(
        request, template, {**context, "history": page_history(record, shown=is_member(request.user))}
    )


def saved_response(request, url: str):
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return redirect(url)


def form_view(
    request,
    form,
    *,
    save,
    success_url,
    title,
    back_url,
    back_label,
    success_message,
    template="web/edit/form_page.html",
    inline_id="",
    submit_label=None,
    context=None,
):
    """GET shows the form; POST validates types, calls `save(form)` (the service), then redirects
    (or refreshes the page under htmx); a refusal shows the form again with the messages."""
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: save(form))
        if result is not FAILED:
            messages.success(request, success_message)
            for warning in getattr(result, "warnings", None) or []:
                messages.warning(request, warning)
            return saved_response(request, success_url(result) if callable(success_url) else success_url)
    page = {
        "form": form,
        "title": title,
        "back_url": back_url,
        "back_label": back_label,
        "submit_label": submit_label or _("Save"),
        "action": request.get_full_path(),
        "multipart": form.is_multipart(),
        "inline_id": inline_id,
        **(context or {}),
    }
    if is_htmx(request) and inline_id:
        return render(request, "web/edit/_inline_form.html", page)
    return render(request, template, page)
