"""Selects are written in Python (shiraka.web.kit.rendering), with the very markup Django's own
templates give: every kind of select the forms use, in Arabic and French, with choices that need
escaping, groups, several selected values, attributes true, false and of other types."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from shiraka.territory.models import Province, Region
from shiraka.web.followup.forms import AlertFilterForm
from shiraka.web.kit.pickers import province_field
from shiraka.web.kit.rendering import FormRenderer

pytestmark = pytest.mark.django_db

CHOICES = [
    ("", "—"),
    ("a&b", 'Tom & "Jerry" <b>'),
    (3, 1500),
    ("safe", mark_safe("<em>kept</em>")),
    ("lazy", _("Region")),
    ("Groupe <1>", [("x", "dans le groupe"), ("y", "l'autre")]),
]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    marked = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(
            attrs={"data-on": True, "data-off": False, "data-n": 12, "dir": mark_safe("a&b")}
        ),
    )
    yes_no = forms.NullBooleanField(required=False)
    region = forms.ModelChoiceField(Region.objects.order_by("code"), required=False)
    province = province_field()


def both(form_class, data) -> list[tuple[str, str]]:
    """Each field as Django's templates render it, and as Shiraka does."""
    django_form = form_class(data=data, renderer=DjangoTemplates())
    shiraka_form = form_class(data=data, renderer=FormRenderer())
    return [(str(django_form[name]), str(shiraka_form[name])) for name in django_form.fields]


@pytest.mark.parametrize("language", ["ar", "fr"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a&b", "several": ["a&b", "3", "y"], "marked": "safe", "yes_no": "true"},
        {"plain": "nothing known", "several": ["x"], "marked": "3", "yes_no": "false"},
    ],
)
def test_selects_are_written_as_django_writes_them(language, data):
    region = Region.objects.order_by("code").first()
    province = Province.objects.filter(region=region).first()
    if data is not None:
        data = {**data, "region": str(region.pk), "province": str(province.pk)}
    with translation.override(language):
        pairs = both(Everything, data)
    assert len(pairs) == 6
    for django_html, shiraka_html in pairs:
        assert "<option" in shiraka_html
        assert shiraka_html == django_html
    if data is not None:  # selected options and groups are there, so the comparison covers them
        for value in data["several"]:
            assert f'value="{value.replace("&", "&amp;")}" selected' in pairs[1][1]
        assert "<optgroup" in pairs[0][1]
        assert f'value="{region.pk}" selected' in pairs[4][1]


def test_a_page_form_renders_through_the_project_renderer(settings):
    assert settings.FORM_RENDERER == "shiraka.web.kit.rendering.FormRenderer"
    with translation.override("ar"):
        project = AlertFilterForm(data={"kind": "milestone_late"})
        django_form = AlertFilterForm(data={"kind": "milestone_late"}, renderer=DjangoTemplates())
        assert isinstance(project.renderer, FormRenderer)
        for name in ("region", "province", "kind"):
            assert str(project[name]) == str(django_form[name])
        assert 'value="milestone_late" selected' in str(project["kind"])


def test_other_widgets_keep_django_templates():
    class Radios(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    form = Radios(data={"pick": "a"})
    field = form["pick"]
    args = (field.html_name, "a", {"id": "id_pick"})
    assert field.field.widget.render(*args, renderer=FormRenderer()) == field.field.widget.render(
        *args, renderer=DjangoTemplates()
    )


def test_model_choices_are_read_in_one_plain_query_with_django_s_choices(reference, monkeypatch):
    """Django reads a model choice field's rows through `QuerySet.iterator()` (a server-side cursor on
    PostgreSQL: three round trips); the forms read them as one list, the same choices."""
    django_form = forms.Form()
    django_form.fields["region"] = forms.ModelChoiceField(Region.objects.all(), empty_label="—")
    expected = [(str(value), str(label)) for value, label in django_form.fields["region"].choices]
    form = AlertFilterForm({"region": Region.objects.first().pk})

    def no_cursor(self, *args, **kwargs):
        raise AssertionError("a model choice field read its rows through QuerySet.iterator()")

    monkeypatch.setattr(type(Region.objects.all()), "iterator", no_cursor)
    html = str(form["region"]) + str(form["province"])
    assert [(str(value), str(label)) for value, label in form.fields["region"].choices][1:] == expected[1:]
    assert html.count("<option") == 2 + Region.objects.count() + Province.objects.count()
    assert form.is_valid() and form.cleaned_data["region"] == Region.objects.first()
