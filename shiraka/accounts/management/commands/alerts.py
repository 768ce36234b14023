"""`shiraka alerts`: the alerts, one line each, and a count; `--email` sends each user a digest."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from shiraka.accounts.services import alert_digests_send
from shiraka.agreements.models import Agreement
from shiraka.followup.alerts import KINDS
from shiraka.followup.selectors import alert_list
from shiraka.territory.models import Province, Region


class Command(BaseCommand):
    help = "Print the follow-up alerts (late milestones, overdue contributions and decisions, …); --email sends digests."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="HCP code of a region (e.g. 09)")
        parser.add_argument("--province", help="HCP code of a province or prefecture (e.g. 09.273)")
        parser.add_argument(
            "--agreement",
            action="append",
            default=[],
            metavar="REFERENCE",
            help="an agreement reference (repeatable)",
        )
        parser.add_argument(
            "--kind", action="append", default=[], choices=KINDS, help="only this kind (repeatable)"
        )
        parser.add_argument("--today", help="compute as of this date, YYYY-MM-DD (default: today)")
        parser.add_argument("--language", default=None, help="ar, fr or en (default: the site's language)")
        parser.add_argument("--limit", type=int, default=None, help="print at most this many lines")
        parser.add_argument(
            "--email",
            action="store_true",
            help="send each user with an e-mail address and a membership a digest of their alerts",
        )
        parser.add_argument(
            "--base-url", default="", help="prefix of the links in e-mails, e.g. https://shiraka.example.ma"
        )

    def handle(
        self, *args, region, province, agreement, kind, today, language, limit, email, base_url, **options
    ):
        language = language or settings.LANGUAGE_CODE
        if language not in dict(settings.LANGUAGES):
            raise CommandError(
                f"--language must be one of: {', '.join(dict(settings.LANGUAGES))}.", returncode=2
            )
        today = _date_option(today)
        if limit is not None and limit < 0:
            raise CommandError("--limit must be zero or a positive number.", returncode=2)
        filters = _filters(region, province, agreement)
        with translation.override(language):
            if email:
                if any(filters.values()) or kind:
                    raise CommandError(
                        "--email sends each user the alerts of their own scope: it takes no filter.",
                        returncode=2,
                    )
                sent, users = alert_digests_send(today=today, base_url=base_url)
                self.stdout.write(
                    f"{sent} digest(s) sent to {users} user(s) with an e-mail address and a membership."
                )
                return
            started = time.perf_counter()
            alerts = alert_list(today=today, kinds=set(kind) or None, **filters)
            elapsed = time.perf_counter() - started
            shown = alerts if limit is None else alerts[:limit]
            for alert in shown:
                self.stdout.write(f"[{alert.severity}] {alert.kind}: {alert.reason} {alert.url}")
            self.stdout.write(f"{len(alerts)} alert(s) ({elapsed:.1f} s)")


def _date_option(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}.", returncode=2) from None


def _filters(region: str | None, province: str | None, references: list[str]) -> dict:
    """The region, province and agreements named on the command line, or a refusal naming the unknown."""
    filters = {"region": None, "province": None, "agreement_ids": None}
    if region:
        filters["region"] = Region.objects.filter(code=region).first()
        if filters["region"] is None:
            raise CommandError(f"No region has the code {region!r}.", returncode=2)
    if province:
        filters["province"] = Province.objects.filter(code=province).first()
        if filters["province"] is None:
            raise CommandError(f"No province or prefecture has the code {province!r}.", returncode=2)
    if references:
        found = dict(Agreement.objects.filter(reference__in=references).values_list("reference", "pk"))
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise CommandError(f"No agreement has the reference {', '.join(missing)}.", returncode=2)
        filters["agreement_ids"] = list(found.values())
    return filters
