"""The tables of a project's page, written in Python: its funding by partner, its milestones, its
progress updates and its contracts with their payments. The page reads a few rows of each, and
Django's template engine spent two thirds of the page's rendering on them (each cell's value, filter,
address and translation looked up through its layers). `web/project_detail.html` holds the sections
around them; tests/web/pages/test_project_tables.py compares these functions with the template
markup they replace, in each language."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..templatetags.kept_urls import KeptAddresses
from ..templatetags.shiraka import day, days_after, mad

DASH = "—"


def _amount(value) -> str:
    return escape(mad(value))


def _day(value) -> str:
    return escape(day(value) or DASH)


def funding_table(fundings, funded) -> SafeString:
    """The `<tbody>` of the partners' funding, and its total (`<tfoot>`) when there is any."""
    address = KeptAddresses()
    rows = (
        "".join(
            f'<tr><td><a href="{escape(address("web:organisation", funding.organisation.pk))}">'
            f'{escape(str(funding.organisation))}</a></td><td class="num amount">{_amount(funding.amount)}</td></tr>'
            for funding in fundings
        )
        or f'<tr><td colspan="2" class="text-muted">{escape(_("not specified"))}</td></tr>'
    )
    total = (
        f'<tfoot><tr class="fw-bold"><td>{escape(_("Total"))}</td>'
        f'<td class="num amount">{_amount(funded)}</td></tr></tfoot>'
        if fundings
        else ""
    )
    return mark_safe(f"<tbody>{rows}</tbody>{total}")


def _milestone_gap(milestone, today) -> str:
    achieved, planned = milestone.achieved_on, milestone.planned_on
    if achieved and planned:
        if achieved > planned:
            days = days_after(achieved, planned)
            return escape(ngettext("%(count)s day late", "%(count)s days late", days) % {"count": days})
        return escape(_("on time"))
    if planned and planned < today:
        return f'<span class="text-danger">{escape(_("late, not achieved"))}</span>'
    return ""


def milestone_table(milestones, today) -> SafeString:
    """The `<tbody>` of the milestones: planned and achieved days, the gap, the late ones marked."""
    rows = []
    for milestone in milestones:
        late = not milestone.achieved_on and milestone.planned_on and milestone.planned_on < today
        rows.append(
            f'<tr class="{"table-danger" if late else ""}"><td>{escape(milestone.get_kind_display())}</td>'
            f'<td class="text-nowrap">{_day(milestone.planned_on)}</td>'
            f'<td class="text-nowrap">{_day(milestone.achieved_on)}</td>'
            f'<td class="small">{_milestone_gap(milestone, today)}</td></tr>'
        )
    empty = f'<tr><td colspan="4" class="text-muted">{escape(_("No milestone planned yet."))}</td></tr>'
    return mark_safe(f"<tbody>{''.join(rows) or empty}</tbody>")


def update_blocks(updates) -> SafeString:
    """Each progress update: its day, progress, author, note and photos."""
    address = KeptAddresses()
    blocks = []
    for update in updates:
        author = f" {DASH} {escape(str(update.author))}" if update.author else ""
        note = f'<p class="mb-1">{escape(update.note)}</p>' if update.note else ""
        photos = "".join(
            f'<figure class="mb-0"><img src="{escape(address("web:progress_photo", photo.pk))}" '
            f'alt="{escape(photo.caption or _("Site photo"))}" class="img-thumbnail" '
            'style="max-height: 140px"></figure>'
            for photo in update.photos.all()
        )
        if photos:
            photos = f'<div class="d-flex flex-wrap gap-2">{photos}</div>'
        blocks.append(
            f'<div class="border rounded p-2 mb-2"><strong>{escape(day(update.reported_on))}</strong> '
            f"{DASH} {update.physical_progress}&nbsp;%{author} {note} {photos}</div>"
        )
    return mark_safe("".join(blocks) or f'<p class="text-muted">{escape(_("No progress update yet."))}</p>')


def cancelled_note(row, is_member: bool) -> str:
    """What `web/_cancelled.html` says under a cancelled row: when, by whom (to members), and why."""
    on = escape(day(row.cancelled_at))
    if row.cancelled_by and is_member:
        user = row.cancelled_by
        who = escape(user.get_full_name() or user.get_username())
        said = _("Cancelled on %(on)s by %(who)s:") % {"on": on, "who": who}
    else:
        said = _("Cancelled on %(on)s:") % {"on": on}
    reason = f' <span dir="auto">{escape(row.cancellation_reason)}</span>' if is_member else ""
    return f'<div class="small text-danger-emphasis" data-cancelled-row>{said}{reason}</div>'


def _payment_row(payment, is_member: bool) -> str:
    reference = f" <bdi>{escape(payment.reference)}</bdi>" if is_member else ""
    said = f"{escape(_('Payment'))}{reference} {DASH} {escape(day(payment.paid_on))}"
    amount = _amount(payment.amount)
    if payment.is_cancelled:
        said = f"<del>{said}</del>{cancelled_note(payment, is_member)}"
        amount = f"<del>{amount}</del>"
    return (
        f'<tr class="small text-muted"><td></td><td colspan="2">{said}</td><td></td>'
        f'<td class="num amount">{amount}</td></tr>'
    )


def contract_table(contracts, *, budget, paid, is_member: bool) -> SafeString:
    """The `<tbody>` of the contracts, each followed by its payments (the cancelled ones struck
    through, with why), and the budget against what was paid (`<tfoot>`) when there is any."""
    rows = []
    for contract in contracts:
        contractor = str(contract.contractor) if contract.contractor else contract.contractor_name
        rows.append(
            f"<tr><td>{escape(contract.get_kind_display())} <bdi>{escape(contract.reference)}</bdi></td>"
            f'<td>{escape(contractor)}</td><td class="text-nowrap">{_day(contract.signed_on)}</td>'
            f'<td class="num amount">{_amount(contract.amount)}</td>'
            f'<td class="num amount">{_amount(contract.paid)}</td></tr>'
        )
        rows.extend(_payment_row(payment, is_member) for payment in contract.payments.all())
    empty = f'<tr><td colspan="5" class="text-muted">{escape(_("No contract yet."))}</td></tr>'
    total = (
        f'<tfoot><tr class="fw-bold"><td colspan="3">{escape(_("Budget vs paid"))}</td>'
        f'<td class="num amount">{_amount(budget)}</td><td class="num amount">{_amount(paid)}</td></tr></tfoot>'
        if contracts
        else ""
    )
    return mark_safe(f"<tbody>{''.join(rows) or empty}</tbody>{total}")


def project_tables(project, data: dict, *, is_member: bool) -> dict[str, SafeString]:
    """The four tables of the project page, from what `projects.selectors.project_detail` read."""
    return {
        "funding_table": funding_table(data["fundings"], data["funded"]),
        "milestone_table": milestone_table(data["milestones"], data["today"]),
        "update_blocks": update_blocks(data["updates"]),
        "contract_table": contract_table(
            data["contracts"], budget=project.budget, paid=data["paid"], is_member=is_member
        ),
    }
