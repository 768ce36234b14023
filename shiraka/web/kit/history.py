"""The rows of a record's history of changes (`core.history.page_history`), written in Python: an
agreement's page shows a few dozen entries, and Django's template engine spent a third of the page's
rendering on them (each entry's dates, names and badges looked up and escaped through its layers).
`web/_history.html` holds the table around them; tests/web/pages/test_history_rows.py compares these
rows with the template markup they replace."""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi

from shiraka.core.formatting import format_datetime, machine_datetime

# The badge of an entry with no field change listed, by its action.
BADGES = {"created": "text-bg-success", "deleted": "text-bg-danger"}


def _changes(entry, arrow: str) -> str:
    items = "".join(
        f'<li><span class="fw-semibold">{conditional_escape(change.field)}</span>: '
        f'<bdi class="text-muted">{conditional_escape(change.before)}</bdi> {arrow} '
        f"<bdi>{conditional_escape(change.after)}</bdi></li>"
        for change in entry.changes
    )
    return f'<ul class="list-unstyled mb-0">{items}</ul>'


def history_rows(entries) -> SafeString:
    """The `<tr>` of each entry, in the page's language and direction."""
    arrow = "←" if get_language_bidi() else "→"
    rows = []
    for entry in entries:
        who = conditional_escape(entry.who)
        who = f'<span class="text-muted">{who}</span>' if entry.by_system else f"<bdi>{who}</bdi>"
        record = conditional_escape(entry.record_kind)
        if entry.record:
            record += f": <bdi>{conditional_escape(entry.record)}</bdi>"
        badge = BADGES.get(entry.action) or ("" if entry.changes else "text-bg-secondary")
        what = f'<span class="badge {badge}">{conditional_escape(entry.action_label)}</span>' if badge else ""
        if entry.changes:
            what += _changes(entry, arrow)
        danger = " table-danger" if entry.action == "deleted" else ""
        rows.append(
            f'<tr class="history-{conditional_escape(entry.action)}{danger}">'
            f'<td class="text-nowrap"><time datetime="{conditional_escape(machine_datetime(entry.date))}">'
            f"{conditional_escape(format_datetime(entry.date))}</time></td>"
            f"<td>{who}</td><td>{record}</td><td>{what}</td></tr>"
        )
    return mark_safe("".join(rows))
