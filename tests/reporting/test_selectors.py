"""The figures the map, the equity page and the progress chart read: the portfolio's money (counted
once) divided by the 2024 census, project counts per province, reported progress by quarter."""

from datetime import date
from decimal import Decimal

import pytest

from shiraka.agreements.models import Agreement
from shiraka.portfolio.selectors import portfolio_summary
from shiraka.projects import services as projects
from shiraka.reporting.geo import provinces_geojson, simplify_line
from shiraka.reporting.selectors import (
    national_figures,
    progress_by_quarter,
    project_points,
    province_figures,
    region_figures,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_province_with_its_money_per_inhabitant(reference):
    agreement = factories.agreement_in_province(total="2000000.00")
    factories.partner_with_schedule(agreement, committed="1500000.00")
    factories.project(agreement, beds=30)
    draft = factories.agreement_in_province(total="9000000.00")
    Agreement.objects.filter(pk=draft.pk).update(status="draft")
    rows = {row.code: row for row in province_figures(Agreement.objects.all())}
    assert len(rows) == 75
    row = rows[agreement.province.code]
    assert row.total_amount == Decimal("2000000.00")  # the draft counts in no figure
    assert row.committed == Decimal("1500000.00") and row.projects == 1 and row.beds == 30
    assert row.per_inhabitant == (Decimal("2000000.00") / row.population).quantize(Decimal("0.01"))
    assert row.beds_per_10k == (Decimal(30) * 10_000 / row.population).quantize(Decimal("0.01"))
    assert all(r.total_amount == 0 for code, r in rows.items() if code != agreement.province.code)
    regions = region_figures(Agreement.objects.all())
    national = national_figures(regions, Agreement.objects.all())
    assert national.total_amount == portfolio_summary(Agreement.objects.all()).total_amount
    assert national.population == sum(r.population for r in regions)


def test_progress_by_quarter_and_points(reference):
    agreement = factories.agreement_in_province()
    project = factories.project(agreement, latitude=Decimal("30.1"), longitude=Decimal("-9.4"))
    factories.project(agreement)
    projects.progress_record(project=project, reported_on=date(2024, 2, 1), physical_progress=10)
    projects.progress_record(project=project, reported_on=date(2024, 5, 1), physical_progress=30)
    projects.progress_record(project=project, reported_on=date(2024, 5, 20), physical_progress=50)
    points = progress_by_quarter(Agreement.objects.all())
    assert [(p["progress"], p["updates"]) for p in points] == [(10.0, 1), (40.0, 2)]
    located = project_points(Agreement.objects.all())
    assert [p["reference"] for p in located] == [project.reference]
    assert located[0]["lat"] == 30.1 and located[0]["lon"] == -9.4


def test_boundaries_are_simplified_but_keep_every_province():
    import json

    document = json.loads(provinces_geojson())
    assert len(document["features"]) == 75
    assert len(provinces_geojson()) < 250_000
    assert "OpenStreetMap" in document["attribution"]
    line = [[0, 0], [1, 0.001], [2, 0], [3, 5], [4, 0]]
    assert simplify_line(line, 0.01) == [[0, 0], [2, 0], [3, 5], [4, 0]]


def test_boundaries_keep_the_points_of_douglas_peucker_written_plainly():
    """The simplification's loop is written for speed: it keeps, on every ring of the shipped
    boundaries, the very points of the algorithm written plainly (a distance function per point)."""
    import json

    from shiraka.reporting.geo import TOLERANCE
    from shiraka.territory.services import DATA_DIR

    def distance(point, start, end) -> float:
        (x, y), (x1, y1), (x2, y2) = point, start, end
        dx, dy = x2 - x1, y2 - y1
        if dx == 0 and dy == 0:
            return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5

    def plain(points: list) -> list:
        keep, stack = {0, len(points) - 1}, [(0, len(points) - 1)]
        while stack:
            first, last = stack.pop()
            found = [(distance(points[i], points[first], points[last]), i) for i in range(first + 1, last)]
            farthest = max(found, key=lambda pair: pair[0], default=(0.0, None))
            if farthest[1] is not None and farthest[0] > TOLERANCE:
                keep.add(farthest[1])
                stack.extend([(first, farthest[1]), (farthest[1], last)])
        return [points[i] for i in sorted(keep)]

    source = json.loads((DATA_DIR / "provinces.geojson").read_text(encoding="utf-8"))
    rings = [
        ring
        for feature in source["features"]
        for polygon in (
            feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "MultiPolygon"
            else [feature["geometry"]["coordinates"]]
        )
        for ring in polygon
        if len(ring) >= 3
    ]
    assert sum(map(len, rings)) > 50_000
    for ring in rings:
        assert simplify_line(ring) == plain(ring)
