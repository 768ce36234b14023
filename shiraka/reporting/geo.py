"""The province boundaries the map draws, simplified once per process. The shipped file
(`territory/data/provinces.geojson`, © OpenStreetMap contributors, ODbL) has some 53,000 points and
weighs 1.2 MB; at a tolerance of about 400 m (0.004°) and four decimals (~10 m) it keeps 8,800
points in 170 kB, and the smallest prefectures of Casablanca keep their shape."""

import json
from functools import lru_cache

from shiraka.territory.services import DATA_DIR

TOLERANCE = 0.004
DECIMALS = 4


def _farthest(points: list, first: int, last: int) -> tuple[float, int | None]:
    """(distance, index) of the point between `first` and `last` farthest from their segment; the
    distance written out in the loop (a call per point was most of the map's first drawing)."""
    (x1, y1), (x2, y2) = points[first], points[last]
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    farthest, index = 0.0, None
    for i in range(first + 1, last):
        x, y = points[i]
        if length == 0:
            distance = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        else:
            t = ((x - x1) * dx + (y - y1) * dy) / length
            t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
            distance = ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5
        if distance > farthest:
            farthest, index = distance, i
    return farthest, index


def simplify_line(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas–Peucker, iterative (a coastline would overflow the recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = _farthest(points, first, last)
        if index is not None and farthest > tolerance:
            keep.add(index)
            stack.extend([(first, index), (index, last)])
    return [points[i] for i in sorted(keep)]


def simplify_ring(ring: list, tolerance: float = TOLERANCE) -> list | None:
    """A closed ring simplified and rounded; None when it shrinks below a triangle (a tiny islet)."""
    rounded = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in simplify_line(ring, tolerance)]
    if len(rounded) < 4:
        return None
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded


def simplify_geometry(geometry: dict, tolerance: float = TOLERANCE) -> dict | None:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [simplify_ring(ring, tolerance) for ring in polygon]
        if rings and rings[0] is not None:
            kept.append([rings[0], *(r for r in rings[1:] if r is not None)])
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


@lru_cache(maxsize=1)
def provinces_geojson() -> bytes:
    """The simplified boundaries as compact JSON, with the province's HCP code and region code only:
    names and figures come with the page, in its language."""
    source = json.loads((DATA_DIR / "provinces.geojson").read_text(encoding="utf-8"))
    features = []
    for feature in source["features"]:
        geometry = simplify_geometry(feature["geometry"])
        if geometry is None:
            continue
        properties = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": properties["code"], "region": properties["region_code"]},
                "geometry": geometry,
            }
        )
    document = {
        "type": "FeatureCollection",
        "attribution": "© OpenStreetMap contributors, ODbL-1.0",
        "features": features,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@lru_cache(maxsize=1)
def province_rings() -> dict[str, list]:
    """Each province's largest outer ring (simplified), by HCP code: where a point may be placed."""
    document = json.loads(provinces_geojson())
    rings = {}
    for feature in document["features"]:
        outers = [polygon[0] for polygon in feature["geometry"]["coordinates"]]
        rings[feature["properties"]["code"]] = max(outers, key=len)
    return rings
