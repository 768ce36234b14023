"""Every template's `{% url %}` keeps each address it found: the same address as Django's in every
language, with `as`, escaped where the page escapes it, and found once."""

import django.urls
import pytest
from django.template import engines
from django.urls import NoReverseMatch
from django.utils import translation

from shiraka.web.templatetags import kept_urls


@pytest.fixture
def found(monkeypatch):
    """The addresses Django looked for."""
    calls = []
    reverse = django.urls.reverse

    def counting(viewname, *args, **kwargs):
        calls.append(viewname)
        return reverse(viewname, *args, **kwargs)

    monkeypatch.setattr(django.urls, "reverse", counting)
    monkeypatch.setattr(kept_urls, "_kept", type(kept_urls._kept)())
    return calls


def render(text: str, **values) -> str:
    return engines["django"].from_string(text).render(values)


def test_an_address_is_found_once_per_language(found):
    page = '{% for ref in refs %}<a href="{% url "web:agreement" ref %}">{% endfor %}'
    with translation.override("fr"):
        assert (
            render(page, refs=["A-1", "A-1"])
            == '<a href="/fr/agreements/A-1/"><a href="/fr/agreements/A-1/">'
        )
    with translation.override("ar"):
        assert render(page, refs=["A-1"]) == '<a href="/ar/agreements/A-1/">'
    assert found == ["web:agreement", "web:agreement"]


def test_as_a_variable_and_escaped_as_the_page_escapes(found):
    with translation.override("fr"):
        assert render('{% url "web:agreement" "X" as link %}[{{ link }}]') == "[/fr/agreements/X/]"
        assert render('{% url "web:agreement" "X" as link %}({{ link }})') == "(/fr/agreements/X/)"
        assert render('{% url "web:agreement" ref %}', ref="B&C") == "/fr/agreements/B&amp;C/"
        assert render('{% url "web:agreement" ref %}', ref="B&C") == "/fr/agreements/B&amp;C/"
    # The first address found once; the escaped one each time (it is not kept).
    assert found == ["web:agreement", "web:agreement", "web:agreement"]


def test_other_arguments_are_looked_for_each_time(found):
    class Ref:
        def __str__(self):
            return "R-9"

    with translation.override("fr"):
        for _ in range(2):
            assert render('{% url "web:agreement" ref %}', ref=Ref()) == "/fr/agreements/R-9/"
    assert found == ["web:agreement", "web:agreement"]


def test_a_missing_address_is_refused_as_django_refuses_it(found):
    with translation.override("fr"), pytest.raises(NoReverseMatch):
        render('{% url "web:no-such-page" %}')
    assert render('{% url "web:no-such-page" as link %}[{{ link }}]') == "[]"
