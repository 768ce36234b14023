"""The list pages' filter choices (regions, provinces by region, programmes) as `<option>`s written
once per process for each language and epoch: a list page read them as 115 records and escaped them
again at every request (4 ms of a 20 ms page), though they change only when a territory or a
programme is saved, which moves the epoch (`core.kept`)."""

from dataclasses import dataclass
from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from shiraka.agreements.models import Programme
from shiraka.core.cache import figures_epoch, figures_seconds, memoised
from shiraka.territory.models import Province, Region


@dataclass(frozen=True)
class Options:
    """`<option>`s (and `<optgroup>`s) already escaped: each as its key and its text before and after
    the place of ` selected` (no key: a group's opening or closing, never selected)."""

    items: tuple[tuple[int | None, str, str], ...]

    def render(self, selected) -> SafeString:
        return mark_safe(
            "".join(
                f"{before}{' selected' if key is not None and key == selected else ''}{after}"
                for key, before, after in self.items
            )
        )


def _option(record) -> tuple[int, str, str]:
    return (record.pk, f'<option value="{record.pk}"', f">{escape(str(record))}</option>")


def _options(records) -> Options:
    return Options(tuple(_option(record) for record in records))


def _grouped(records, group_of) -> Options:
    items = []
    for group, members in groupby(records, group_of):
        items.append((None, f'<optgroup label="{escape(str(group))}">', ""))
        items.extend(_option(record) for record in members)
        items.append((None, "</optgroup>", ""))
    return Options(tuple(items))


def _written() -> dict[str, Options]:
    return {
        "regions": _options(Region.objects.all()),
        "provinces": _grouped(Province.objects.select_related("region"), lambda province: province.region),
        "programmes": _options(Programme.objects.all()),
    }


def filter_choices() -> dict[str, Options]:
    """The regions, the provinces (in an `<optgroup>` per region) and the programmes a list filters by,
    in the page's language; render one with `{% options choices selected %}`."""
    return memoised(f"list-choices:{figures_epoch()}:{get_language()}", _written, timeout=figures_seconds())
