"""A record's history rows are written in Python (`web/kit/history.py`): they must say what the
template markup they replace said, entry for entry, in every language and direction, for every kind
of entry (created, changed with and without listed changes, deleted, by the system, of a related
record), markup in names and values escaped."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe

from shiraka.agreements import services as agreements
from shiraka.core.history import FieldChange, HistoryEntry, page_history
from shiraka.web.kit.history import history_rows
from tests import factories

# The rows as web/_history.html wrote them before they were written in Python.
HISTORY_ROW = """{% load i18n shiraka %}{% get_current_language_bidi as HISTORY_RTL %}{% for entry in history %}<tr class="history-{{ entry.action }}{% if entry.action == "deleted" %} table-danger{% endif %}">
    <td class="text-nowrap"><time datetime="{{ entry.date|machine_time }}">{{ entry.date|moment }}</time></td>
    <td>{% if entry.by_system %}<span class="text-muted">{{ entry.who }}</span>{% else %}<bdi>{{ entry.who }}</bdi>{% endif %}</td>
    <td>{{ entry.record_kind }}{% if entry.record %}: <bdi>{{ entry.record }}</bdi>{% endif %}</td>
    <td>{% if entry.action == "created" %}<span class="badge text-bg-success">{{ entry.action_label }}</span>
      {% elif entry.action == "deleted" %}<span class="badge text-bg-danger">{{ entry.action_label }}</span>
      {% elif not entry.changes %}<span class="badge text-bg-secondary">{{ entry.action_label }}</span>{% endif %}
      {% if entry.changes %}<ul class="list-unstyled mb-0">{% for change in entry.changes %}
        <li><span class="fw-semibold">{{ change.field }}</span>: <bdi class="text-muted">{{ change.before }}</bdi> {% if HISTORY_RTL %}←{% else %}→{% endif %} <bdi>{{ change.after }}</bdi></li>{% endfor %}</ul>{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501
AT = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)


def _entry(action: str, **fields) -> HistoryEntry:
    return HistoryEntry(
        **{
            "date": AT,
            "who": "Salma <Idrissi>",
            "by_system": False,
            "action": action,
            "action_label": f"{action} <i>&</i>",
            "record_kind": "Partnership",
            "record": "",
            "is_own": True,
            **fields,
        }
    )


ENTRIES = [
    _entry("created", record="Ministère <b>de la Santé</b>", is_own=False),
    _entry("changed", changes=[FieldChange("total", "1 000,00 DH", "<2 000,00> DH"), FieldChange("note", "", "«x»")]),
    _entry("changed", by_system=True, who="import"),
    _entry("changed", changes=[FieldChange("title", mark_safe("<i>kept</i>"), "b")]),
    _entry("deleted", record="Transfert 12", is_own=False),
]  # fmt: skip


def _template(entries) -> str:
    return parse_html(engines["django"].from_string(HISTORY_ROW).render({"history": entries}))


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_history_rows_say_what_the_template_said(language):
    with translation.override(language):
        assert parse_html(history_rows(ENTRIES)) == _template(ENTRIES)
        assert parse_html(history_rows([])) == _template([])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_an_agreements_history_is_written_as_the_template_wrote_it(reference, language):
    agreement = factories.agreement_in_province(title_fr="Avant")
    partnership = factories.partner_with_schedule(agreement, committed="500000.00")
    agreements.partnership_update(
        partnership, expected_version=partnership.version, committed_amount="650000.00"
    )
    with translation.override(language):
        entries = page_history(agreement, shown=True)
        assert len(entries) >= 3 and any(entry.changes for entry in entries)
        assert parse_html(history_rows(entries)) == _template(entries)
