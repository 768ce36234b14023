"""A page's key figures are written in Python (`web/kit/figure_cards.py`): they must say what the
template markup they replace said, card for card, in every language, linked or not, for a portfolio
with figures (arrears in red) and for an empty one (no amount, no progress)."""

from decimal import Decimal

import pytest
from django.template import Context, Engine
from django.test.html import parse_html
from django.utils import translation

from shiraka.portfolio.selectors import Summary
from shiraka.web.kit.figure_cards import figure_cards

# web/_figures.html and web/_figure_card.html as they were before the cards were written in Python.
OLD_FIGURES = '{% load i18n shiraka %}{% url \'web:agreements\' as agreements_url %}{% url \'web:projects\' as projects_url %}{% firstof figure_links "" as links %}{# Each card in a context of its own ("only"): a name it does not get is then looked up in one dict, not in the page\'s dozens (4 ms of an agreement\'s page). #}\n<div class="row row-cols-2 row-cols-md-4 row-cols-xl-8 g-2 mb-3" role="group" aria-label="{% translate \'Key figures\' %}">\n  {% include "web/_figure_card.html" with label=_("Agreements") figure="agreements" value=summary.agreements|number href=agreements_url figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Total amount") figure="total" value=summary.total_amount|mad_m amount=True href=agreements_url sort="-total" figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Committed") figure="committed" value=summary.committed|mad_m amount=True href=agreements_url sort="-committed" figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Not yet allocated") figure="unallocated" value=summary.unallocated|mad_m amount=True href=agreements_url sort="-total" figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Due to date") figure="due" value=summary.due_to_date|mad_m amount=True href=agreements_url sort="-arrears" figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Transferred") figure="transferred" value=summary.transferred|mad_m amount=True href=agreements_url sort="-committed" figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Arrears") figure="arrears" value=summary.arrears|mad_m amount=True alert=summary.arrears href=agreements_url sort="-arrears" figure_links=links only %}\n  {% include "web/_figure_card.html" with label=_("Projects · physical progress") figure="projects" value=summary.projects|number detail=summary.progress|percent href=projects_url figure_links=links only %}\n</div>\n'
OLD_CARD = '{# One key figure: its `label` and `value` (with a `detail` after it when given), `figure` naming it for data-figure, `amount` for money, `alert` to draw it in red; with `figure_links` it links to `href`, sorted by `sort` when given. #}\n<div class="col"><div class="card figure-card h-100{% if alert %} border-danger{% endif %}"><div class="card-body p-2">\n  <div class="label">{{ label }}</div><div class="value{% if amount %} amount{% endif %}{% if alert %} text-danger{% endif %}" data-figure="{{ figure }}">{% if figure_links %}<a class="stretched-link text-reset text-decoration-none" href="{{ href }}{% if sort %}?sort={{ sort }}{% endif %}">{% endif %}{{ value }}{% if detail %} · {{ detail }}{% endif %}{% if figure_links %}</a>{% endif %}</div></div></div></div>\n'
ENGINE = Engine(
    loaders=[
        ("django.template.loaders.locmem.Loader", {"figures": OLD_FIGURES, "web/_figure_card.html": OLD_CARD})
    ],
    libraries={"i18n": "django.templatetags.i18n", "shiraka": "shiraka.web.templatetags.shiraka"},
    builtins=["shiraka.web.templatetags.kept_urls"],
)
SUMMARIES = {
    "figures": Summary(
        agreements=1234, total_amount=Decimal("443000000.00"), committed=Decimal("222000000.50"),
        due_to_date=Decimal("100000000.00"), transferred=Decimal("75000000.00"), arrears=Decimal("25000000.00"),
        unallocated=Decimal("221000000.00"), projects=56, progress=37.25,
    ),
    "empty": Summary(total_amount=None, committed=None, arrears=Decimal("0.00"), progress=None),
}  # fmt: skip


def _old(summary, links) -> str:
    return ENGINE.get_template("figures").render(Context({"summary": summary, "figure_links": links}))


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
@pytest.mark.parametrize("links", [True, False])
@pytest.mark.parametrize("summary", SUMMARIES.values(), ids=list(SUMMARIES))
def test_the_cards_say_what_the_template_said(language, links, summary):
    with translation.override(language):
        old = parse_html(_old(summary, links))
        group = old.children[0] if len(old.children) == 1 and not isinstance(old.children[0], str) else old
        assert parse_html(figure_cards(summary, links=links)) == parse_html(
            "".join(str(c) for c in group.children)
        )
