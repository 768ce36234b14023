"""Writes about users: the alert digests each user receives for their own scope."""

from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from shiraka.followup.alerts import KIND_LABELS, KINDS
from shiraka.followup.selectors import alert_list

from .access import Role, followed_agreements

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
