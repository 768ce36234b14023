"""People pages: administrators manage every user, a secretariat those of its own scope (the list,
a new user, a user's organisation, role and scope, deactivation, the first-login link), without the
Django admin. shiraka.accounts.access decides who sees whom (404 for a user one may not manage, 403
for a role that manages nobody); shiraka.accounts.services writes and refuses."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shiraka.accounts import services
from shiraka.accounts.access import access_user, manageable_users, may_manage_users
from shiraka.accounts.models import Membership
from shiraka.web.kit.forms import FAILED, ShirakaForm, run_service
from shiraka.web.kit.views import form_view, page_of, post_data, query_without

from .forms import ActiveForm, MembershipForm, PeopleSearchForm, PersonForm

PEOPLE_PER_PAGE = 50


def person_url(user) -> str:
    return reverse("web:person", args=[user.pk])


def membership_of(user) -> Membership:
    """The user's membership, or an unsaved one (a superuser created from the command line has none)."""
    try:
        return user.membership
    except Membership.DoesNotExist:
        return Membership(user=user)


def back(user=None) -> dict:
    if user is None:
        return {"back_url": reverse("web:people"), "back_label": _("Users")}
    return {"back_url": person_url(user), "back_label": user.get_username()}


@login_required
def people(request):
    if not may_manage_users(request.user):
        raise PermissionDenied
    form = PeopleSearchForm(request.GET or None)
    users = manageable_users(request.user).select_related(
        "membership", "membership__organisation", "membership__region", "membership__province"
    )
    search = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    if search:
        users = users.filter(
            Q(username__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    return render(
        request,
        "web/people/person_list.html",
        {
            "form": form,
            "page": page_of(request, users.order_by("username"), PEOPLE_PER_PAGE),
            "query": query_without(request, "page"),
        },
    )


def membership_values(data: dict) -> dict:
    return {name: data.get(name) for name in ("organisation", "role", "region", "province", "programme")}


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request):
    if not may_manage_users(request.user):
        raise PermissionDenied
    posted, _files = post_data(request)
    form = PersonForm(posted, granted_by=request.user, initial={"role": Membership.Role.VIEWER})

    def save(form):
        data = form.cleaned_data
        return services.user_create(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            **membership_values(data),
            by=request.user,
        )

    return form_view(
        request,
        form,
        save=save,
        success_url=person_url,
        title=_("New user"),
        success_message=_("The user was created: give them their first-login link."),
        **back(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request, pk: int):
    """A user's page: its organisation, role and scope to change, and its account's actions."""
    user = access_user(request.user, pk)
    membership = membership_of(user)
    posted, _files = post_data(request)
    form = MembershipForm(posted, granted_by=request.user, initial=MembershipForm.initial_for(membership))

    def save(form):
        return services.membership_update(membership, **membership_values(form.cleaned_data), by=request.user)

    return form_view(
        request,
        form,
        save=save,
        success_url=person_url(user),
        title=user.get_full_name() or user.get_username(),
        success_message=_("The user's role and scope were saved."),
        template="web/people/person.html",
        context={"person": user, "membership": membership if membership.pk else None},
        **back(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_active(request, pk: int):
    """Deactivate or reactivate the account: a confirmation page, then the change."""
    user = access_user(request.user, pk)
    posted, _files = post_data(request)
    form = ActiveForm(posted, initial={"active": "0" if user.is_active else "1"})
    title = _("Deactivate the user") if user.is_active else _("Reactivate the user")
    return form_view(
        request,
        form,
        save=lambda form: services.user_set_active(user, active=form.cleaned_data["active"], by=request.user),
        success_url=person_url(user),
        title=title,
        success_message=_("The account was deactivated.")
        if user.is_active
        else _("The account was reactivated."),
        submit_label=title,
        template="web/people/person_active.html",
        context={"person": user},
        **back(user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_first_login(request, pk: int):
    """The link where the user chooses a password, shown to copy (POST: it is made on request)."""
    user = access_user(request.user, pk)
    posted, _files = post_data(request)
    form = ShirakaForm(posted)
    link = None
    if request.method == "POST" and form.is_valid():
        link = run_service(
            form, lambda: services.first_login_link(user, base_url=request.build_absolute_uri("/"))
        )
        link = None if link is FAILED else link
    return render(
        request,
        "web/people/person_first_login.html",
        {
            "form": form,
            "person": user,
            "link": link,
            "title": _("First-login link"),
            "action": request.get_full_path(),
            "submit_label": _("Make the link"),
            **back(user),
        },
    )
