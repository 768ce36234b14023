"""Names in a cell to records: provinces, regions, communes, organisations and programmes in Arabic or
French (matched as the search matches them, `core.text.name_key`), agreements and projects by
reference among those the importing user may see. Each lookup is cached for the whole import."""

import re

from django.utils.translation import gettext_lazy as _

from shiraka.accounts.access import visible_agreements, visible_projects
from shiraka.agreements.models import Programme
from shiraka.core.text import name_key
from shiraka.intake.matching import OrganisationIndex, TerritoryIndex
from shiraka.territory.models import Province, Region

from .cells import CellError, text

COMMUNE_SEPARATORS = re.compile(r"[;؛،|\n]+")


class Lookups:
    def __init__(self, user):
        self.user = user
        self._gazetteer = None
        self._organisations = None
        self._programmes = None
        self._codes = None
        self._places: dict[tuple[str, str], object] = {}  # (kind, name as written) → place
        self.agreements: dict[str, object] = {}
        self.projects: dict[str, object] = {}
        # Agreements whose records the bulk path wrote (exchange.bulk): their kept figures are
        # recomputed once before the import commits.
        self.touched: set[int] = set()

    @property
    def gazetteer(self) -> TerritoryIndex:
        if self._gazetteer is None:
            self._gazetteer = TerritoryIndex()
        return self._gazetteer

    def _place(self, value, kind: str):
        raw = text(value)
        found = self._places.get((kind, raw))
        if found is None:
            found = self._places[(kind, raw)] = self._find_place(raw, kind)
        return found

    def _find_place(self, raw: str, kind: str):
        if self._codes is None:
            self._codes = {("province", p.code): p for p in Province.objects.all()} | {
                ("region", r.code): r for r in Region.objects.all()
            }
        if (kind, raw) in self._codes:
            return self._codes[(kind, raw)]
        found = self.gazetteer.index[kind].get(name_key(raw))
        if not found:
            match = self.gazetteer.match(raw)
            found = [match.place] if match is not None and match.kind == kind else None
        if not found:
            if kind == "region":
                raise CellError(_("No region has this name (in Arabic or French)."))
            raise CellError(_("No province or prefecture has this name (in Arabic or French)."))
        return found[0]

    def region(self, value):
        return self._place(value, "region")

    def province(self, value):
        return self._place(value, "province")

    def communes(self, value, province=None) -> list:
        found = []
        for name in COMMUNE_SEPARATORS.split(text(value)):
            if not name.strip():
                continue
            places = self.gazetteer.index["commune"].get(name_key(name))
            if not places:
                raise CellError(_("No commune is named «%(name)s».") % {"name": name.strip()})
            if province is not None:
                places = [c for c in places if c.province_id == province.pk] or places
            found.append(places[0])
        return found

    def organisation(self, value):
        if self._organisations is None:
            self._organisations = OrganisationIndex()
        organisation = self._organisations.match(text(value), self.gazetteer)
        if organisation is None:
            raise CellError(
                _(
                    "No organisation has this name (in Arabic or French): add it in Shiraka first, or check it."
                )
            )
        return organisation

    def programme(self, value):
        if self._programmes is None:
            self._programmes = {}
            for programme in Programme.objects.all():
                for name in (programme.code, programme.name_ar, programme.name_fr):
                    if name_key(name):
                        self._programmes.setdefault(name_key(name), programme)
        programme = self._programmes.get(name_key(text(value)))
        if programme is None:
            raise CellError(_("No programme has this name."))
        return programme

    def agreement(self, reference: str, *, required: bool = True):
        """The agreement of this reference among those the user may see (a hidden one is missing)."""
        return self._by_reference(
            self.agreements,
            lambda: visible_agreements(self.user).select_related("region", "province", "programme", "parent"),
            reference,
            required,
            _("No agreement has this reference (among those you may see)."),
        )

    def project(self, reference: str, *, required: bool = True):
        return self._by_reference(
            self.projects,
            lambda: visible_projects(self.user).select_related("agreement", "province", "region"),
            reference,
            required,
            _("No project has this reference (among those you may see)."),
        )

    @staticmethod
    def _by_reference(cache: dict, visible, reference: str, required: bool, missing):
        if reference not in cache:
            cache[reference] = visible().filter(reference=reference).first()
        found = cache[reference]
        if found is None and required:
            raise CellError(missing)
        return found

    def forget(self) -> None:
        """Drop the cached records: a row rolled back may have changed them in memory."""
        self.agreements.clear()
        self.projects.clear()
