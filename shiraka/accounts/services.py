"""Writes about users: the alert digests each user receives for their own scope; users, their
memberships, activation and first-login links."""

import hashlib
import secrets
from collections import Counter
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shiraka.core.rules import refuse
from shiraka.core.services import set_history_user, validated_save
from shiraka.followup.alerts import KIND_LABELS, KINDS
from shiraka.followup.selectors import alert_list

from .access import Role, can_grant, followed_agreements
from .models import ApiToken, Membership

DIGEST_MAX_LINES = 200


def alert_digests_send(*, today: date | None = None, base_url: str = "", connection=None) -> tuple[int, int]:
    """Send each active user with an e-mail address and a membership the alerts of their scope, in the
    active language, through Django's e-mail backend. Users sharing a scope share one computation.
    Returns (digests sent, users considered)."""
    users = list(
        get_user_model()
        .objects.filter(is_active=True, membership__isnull=False)
        .exclude(email="")
        .select_related("membership", "membership__organisation")
        .order_by("pk")
    )
    computed: dict[tuple, list] = {}
    messages = []
    for user in users:
        membership = user.membership
        user._shiraka_membership = membership  # access.membership_of reads this cache
        if membership.role == Role.SECRETARIAT and not user.is_superuser:
            key = (membership.province_id, membership.region_id, membership.programme_id)
        else:
            key = ("all",)
        if key not in computed:
            computed[key] = alert_list(followed_agreements(user), today=today)
        alerts = computed[key]
        if not alerts:
            continue
        counts = Counter(alert.kind for alert in alerts)
        subject = ngettext(
            "Shiraka: %(count)s alert in your scope", "Shiraka: %(count)s alerts in your scope", len(alerts)
        ) % {"count": len(alerts)}
        body = render_to_string(
            "followup/alert_digest.txt",
            {
                "user": user,
                "alerts": alerts[:DIGEST_MAX_LINES],
                "more": max(len(alerts) - DIGEST_MAX_LINES, 0),
                "total": len(alerts),
                "counts": [(KIND_LABELS[k], counts[k]) for k in KINDS if counts.get(k)],
                "base_url": base_url.rstrip("/"),
                "alerts_url": base_url.rstrip("/") + reverse("web:alerts"),
            },
        )
        messages.append(EmailMessage(subject, body, to=[user.email]))
    sent = (connection or get_connection()).send_messages(messages) if messages else 0
    return sent or 0, len(users)


# --- users and their memberships ------------------------------------------------------------------
# Administrators manage every user, a secretariat those of its own scope (shiraka.accounts.access
# decides who may grant what). A new user has no password: it chooses one through its first-login link.


def _check_scope(*, by, role, region, province, programme):
    """The province lies in the region; `by` may grant the role and the scope."""
    if province is not None and region is not None and province.region_id != region.pk:
        refuse("province", _("This province is not in the region chosen."), "province_outside_region")
    if role not in Role.values:
        refuse("role", _("Choose a role from the list."), "unknown_role")
    if role == Role.ADMINISTRATOR and not can_grant(
        by, role=role, region=region, province=province, programme=programme
    ):
        refuse(
            "role", _("Only an administrator may make another user an administrator."), "role_not_grantable"
        )
    if not can_grant(by, role=role, region=region, province=province, programme=programme):
        refuse(
            "province",
            _("You may only give roles within your own territory or programme."),
            "scope_not_grantable",
        )


def _region_of(region, province):
    return province.region if region is None and province is not None else region


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    organisation,
    role: str,
    region=None,
    province=None,
    programme=None,
    by,
):
    """A user without a usable password (its first-login link sets one) and its membership."""
    User = get_user_model()
    username = (username or "").strip()
    email = (email or "").strip()
    region = _region_of(region, province)
    if not username:
        refuse("username", _("Enter a username."), "required")
    if User.objects.filter(username__iexact=username).exists():
        refuse("username", _("This username is already taken."), "username_taken")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            refuse("email", _("Enter a valid e-mail address."), "invalid_email")
    _check_scope(by=by, role=role, region=region, province=province, programme=programme)
    user = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(), email=email)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(
        user=user, organisation=organisation, role=role, region=region, province=province, programme=programme
    )
    validated_save(membership, by=by)
    return user


@transaction.atomic
def membership_update(membership, *, organisation, role, region, province, programme, by):
    """Change a user's organisation, role and scope (a user without a membership is given one)."""
    region = _region_of(region, province)
    _check_scope(by=by, role=role, region=region, province=province, programme=programme)
    membership.organisation = organisation
    membership.role = role
    membership.region = region
    membership.province = province
    membership.programme = programme
    return validated_save(membership, by=by)


@transaction.atomic
def user_set_active(user, *, active: bool, by):
    """Deactivate (the user can no longer sign in, its records stay) or reactivate a user; the
    membership's history keeps who did it."""
    if not active and by is not None and user.pk == by.pk:
        refuse("active", _("You cannot deactivate your own account."), "self_deactivation")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    membership = Membership.objects.filter(user=user).first()
    if membership is not None:
        membership._change_reason = "reactivated" if active else "deactivated"
        set_history_user(membership, by)
        membership.save()
    return user


def first_login_link(user, *, base_url: str) -> str:
    """The link where `user` chooses its password (Django's password-reset confirmation); it stops
    working once a password is set or after PASSWORD_RESET_TIMEOUT."""
    if not user.is_active:
        refuse("active", _("This account is deactivated: reactivate it first."), "inactive_user")
    path = reverse(
        "web:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


# --- personal API tokens ----------------------------------------------------------------------------

TOKEN_PREFIX = "shk_"
ACTIVE_TOKENS_PER_USER = 20
# Recording every use would write on every API call: once a minute is enough to tell a live token.
TOKEN_USE_PRECISION = timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The token is 256 random bits: a plain SHA-256 is enough (no password to stretch)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, returned with its clear text, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        refuse("name", _("Give the token a name, e.g. the tool that will use it."), "required")
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if active.count() >= ACTIVE_TOKENS_PER_USER:
        refuse(
            "name",
            _("You already have %(count)s active tokens: revoke one you no longer use first."),
            "too_many_tokens",
            count=ACTIVE_TOKENS_PER_USER,
        )
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=clear[: len(TOKEN_PREFIX) + 6], digest=token_digest(clear))
    validated_save(token)
    return token, clear


def api_token_revoke(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_user(clear: str):
    """The active owner of an active token, or None."""
    if not clear.startswith(TOKEN_PREFIX) or len(clear) > 100:
        return None
    token = (
        ApiToken.objects.filter(digest=token_digest(clear), revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
