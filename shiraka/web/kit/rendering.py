"""How forms render their widgets: Django's own templates, except the `<select>`.

Django renders a select through one template include per option. A province picker (75 options), an
organisation picker (hundreds) or the alert filter (a region and a province picker) spent most of
its page's time there: 45 of the alerts page's 57 ms. `FormRenderer` writes the same markup in Python,
character for character as `django/forms/widgets/select.html` and `select_option.html` would
(tests/web/test_rendering.py compares the two), and hands every other widget to Django's templates."""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is None or any(option.get("template_name") != OPTION for option in _options(widget)):
            return super().render(template_name, context, request)
        return select_html(widget)


def _options(widget: dict):
    for _name, options, _index in widget["optgroups"]:
        yield from options


def _text(value) -> str:
    """A value as `{{ value }}` prints it: localised unless it is text, then escaped."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _formatted(value) -> str:
    """As `{{ value|stringformat:'s' }}` prints it: text as is, escaped unless it was safe."""
    text = str(value)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(
            f'\n  <option value="{_formatted(option["value"])}"'
            f"{_attributes(option['attrs'])}>{_text(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))
