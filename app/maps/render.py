"""folium builders for the coverage maps.

folium lays out the page (map, tiles, layer control, bounds); the per-feature work is done by
app/static/maps/legwork-map.js, called from a few generated lines with the data embedded once.
Every asset comes from Legwork's own /static (folium's CDN defaults are replaced, and its
jQuery/Bootstrap/awesome-markers are dropped: nothing here uses them). The one inline script
folium writes is allowed by its hash (see ``page_response``), never by loosening the CSP.
"""
from __future__ import annotations

import json

import folium
import numpy as np
import orjson
from branca.element import Element
from flask import make_response, render_template, url_for
from folium.map import Layer
from markupsafe import escape

from ..config import Settings
from ..models import Channel
from ..security import allow_inline_script
from ..walk_lists.progress import ListProgress
from .coverage import MEASURES, STATUS_LABELS, STATUSES, AreaCoverage
from .doors import DoorState
from .localtime import local_time
from .tokens import colour

# Every colour comes from app/static/tokens.css (one palette with the pages and the canvass map).
# Share of households -> fill colour (ColorBrewer YlGn, 5 classes); exactly zero stays grey.
COVERAGE_SCALE = [[low / 100, colour(f"coverage-{low}")] for low in (0, 20, 40, 60, 80)]
COVERAGE_ZERO = colour("coverage-zero")
PROGRESS_SCALE = [[low / 100, colour(f"progress-{low}")] for low in (0, 50, 100)]
PROGRESS_ZERO = colour("progress-zero")
STATUS_COLOURS = {
    "not_attempted": colour("status-todo"), "not_home": colour("status-revisit"), "spoke": colour("status-spoke"),
    "supporter": colour("status-contact"), "against": colour("status-final"), "dnc": colour("status-dnc"),
}
DOOR_EDGE = colour("status-edge")
ROUTE = colour("route")  # a list's walking order, as on the canvasser's map
AREA_EDGE = colour("area-edge")

def script_json(value) -> str:
    """JSON that is safe inside <script>: no "</script>", no line separators JS chokes on.

    orjson: the city map's door columns are over a megabyte of JSON, several times faster to write
    than with the standard library (which stays the fallback for anything orjson refuses)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _round(coords, places: int = 5):
    # 5 decimal places of a degree is about a metre: plenty for a turf edge, and it halves the JSON.
    if coords and isinstance(coords[0][0], (int, float)):  # a ring: one numpy call, not a call per number
        return np.round(np.asarray(coords, dtype=float), places).tolist()
    return [_round(c, places) for c in coords]


def geometry(text: str | None) -> dict | None:
    if not text:
        return None
    geom = json.loads(text)
    geom = geom.get("geometry", geom) if geom.get("type") == "Feature" else geom
    coords = geom["coordinates"]
    if geom["type"] == "Point":
        coords = [round(c, 5) for c in coords]
    elif geom["type"] == "LineString":
        coords = _round([coords])[0]
    else:
        coords = _round(coords)
    return {"type": geom["type"], "coordinates": coords}


class Raw(Element):
    """Text added to the figure as is.

    branca wraps each MacroElement's output in ``Element(text)``, which compiles that text as a
    Jinja template: slow for megabytes of door data, and template injection for any address
    containing "{{". Everything carrying data goes through here instead.
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptVar(folium.MacroElement):
    """``var <name> = <json>;``: data shared by several layers, embedded once."""

    def __init__(self, value):
        super().__init__()
        self._name = "lw_data"
        self.payload = script_json(value)

    def render(self, **kwargs):
        self.get_root().script.add_child(Raw(f"var {self.get_name()} = {self.payload};\n"), name=self.get_name())


class LegworkLayer(Layer):
    """A Leaflet layer made by a LegworkMap.* builder; a folium Layer so LayerControl lists it."""

    def __init__(self, builder: str, *args, name: str, overlay: bool = True, show: bool = True,
                 control: bool = True):
        super().__init__(name=name, overlay=overlay, show=show, control=control)
        self._name = "lw_" + builder
        self.builder = builder
        self.args = ", ".join(a.get_name() if isinstance(a, ScriptVar) else script_json(a) for a in args)

    def render(self, **kwargs):
        name = self.get_name()
        text = f"var {name} = LegworkMap.{self.builder}({self.args});\n"
        if self.show:
            text += f"{name}.addTo({self._parent.get_name()});\n"
        self.get_root().script.add_child(Raw(text), name=name)


class LegworkFoliumMap(folium.Map):
    """folium.Map with its assets pointed at Legwork's /static and canvas rendering on."""

    def __init__(self, *, settings: Settings, **kw):
        super().__init__(tiles=None, prefer_canvas=True, control_scale=True, zoom_start=14, **kw)
        # Instance attributes: folium's add_js_link would mutate the class-wide lists.
        self.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js")),
                           ("legwork_map", url_for("static", filename="maps/legwork-map.js"))]
        self.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css")),
                            ("legwork_tokens", url_for("static", filename="tokens.css")),
                            ("legwork_map_css", url_for("static", filename="maps/maps.css"))]
        maps = settings.maps
        folium.TileLayer(tiles=maps.tile_url, attr=maps.tile_attribution,
                         name="Streets", control=False, max_zoom=19).add_to(self)


def new_map(settings: Settings, *, title: str, bounds, legend: dict, nav: dict) -> LegworkFoliumMap:
    fmap = LegworkFoliumMap(settings=settings)
    root = fmap.get_root()
    root.title = escape(f"{title} · Legwork")  # branca writes the title unescaped
    root.html.add_child(Raw(render_template("maps/_chrome.html", title=title, legend=legend, nav=nav)))
    if bounds:
        fmap.fit_bounds(bounds)
    return fmap


def bounds_of(points) -> list | None:
    """[[south, west], [north, east]] from (lon, lat) pairs."""
    points = [(x, y) for x, y in points if x is not None and y is not None]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def geometry_points(geom: dict | None):
    if not geom:
        return
    stack = [geom["coordinates"]]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            yield item[0], item[1]
        else:
            stack.extend(item)


def area_features(areas, coverage: dict, *, drill: bool = True, url=None) -> dict:
    """Areas (id, name, boundary) with their coverage as GeoJSON properties; ``url(area)``: where
    a click drills down (default: the neighbourhood's doors)."""
    features = []
    for area in areas:
        cov = coverage.get(area.id) or AreaCoverage()
        props = {"id": area.id, "name": area.name, **cov.as_dict()}
        if drill:
            props["url"] = url(area) if url else url_for("maps.neighbourhood", neighbourhood_id=area.id)
        features.append({"type": "Feature", "geometry": geometry(area.boundary), "properties": props})
    return {"type": "FeatureCollection", "features": features}


def turf_features(lists: list[ListProgress], tz: str) -> dict:
    features = [{"type": "Feature", "geometry": geometry(item.hull), "properties": {
        "id": item.id, "name": item.name, "volunteers": ", ".join(item.volunteers), "done": item.done,
        "total": item.total, "last": local_time(item.last_activity, tz),
        "url": url_for("maps.walk_list", list_id=item.id)}} for item in lists if item.hull]
    return {"type": "FeatureCollection", "features": features}


def door_columns(doors: list[DoorState], settings: Settings) -> dict:
    """The doors as parallel arrays; legwork-map.js turns them into GeoJSON points in the browser.

    Repeating '{"type":"Feature","geometry":...}' 20,000 times would be most of the page and
    most of the server's time. Coordinates are integers of 1e-5 degree (about a metre); ``c``
    indexes ``codes`` (-1: never attempted); ``t`` is minutes after ``t0``, formatted in the
    browser in the campaign's timezone only when a popup opens. Only what the popup shows.
    """
    index = {status: i for i, status in enumerate(STATUSES)}
    code_list = [(ch, c.code, c.label) for ch in Channel for c in settings.codes(ch).values()]
    code_index = {(ch, code): i for i, (ch, code, _) in enumerate(code_list)}
    located = [d for d in doors if d.lon is not None and d.lat is not None]
    minutes = [d.last_minute for d in located]
    t0 = min((m for m in minutes if m is not None), default=0)
    return {
        "x": [round(d.lon * 1e5) for d in located],
        "y": [round(d.lat * 1e5) for d in located],
        "a": [d.address for d in located],
        "s": [index[d.status] for d in located],
        "c": [code_index.get((d.last_channel, d.last_code), -1) if d.last_code else -1 for d in located],
        "t": [m - t0 if m is not None else 0 for m in minutes],
        "t0": t0,
        "codes": [[ch, label] for ch, _, label in code_list],
    }


def coverage_options() -> dict:
    return {"measures": [list(m) for m in MEASURES], "scale": COVERAGE_SCALE, "zero": COVERAGE_ZERO,
            "edge": AREA_EDGE}


def door_options(settings: Settings, radius: int) -> dict:
    return {
        "radius": radius, "tz": settings.timezone, "edge": DOOR_EDGE,
        "statuses": [{"label": STATUS_LABELS[s], "colour": STATUS_COLOURS[s]} for s in STATUSES],
    }


def add_coverage_layers(fmap, areas_geojson: dict) -> None:
    """One base layer per measure (radio buttons in the layer control); the data is embedded once."""
    data = ScriptVar(areas_geojson).add_to(fmap)
    for i, (measure, label) in enumerate(MEASURES):
        LegworkLayer("coverageLayer", data, measure, coverage_options(), name=label, overlay=False,
                     show=i == 0).add_to(fmap)


def add_turfs(fmap, turfs: dict, *, show: bool = True) -> None:
    if turfs["features"]:
        LegworkLayer("turfLayer", turfs, {"progress": PROGRESS_SCALE, "progressZero": PROGRESS_ZERO},
                     name="Walk lists", show=show).add_to(fmap)


def add_doors(fmap, doors: list[DoorState], settings: Settings, *, radius: int) -> None:
    LegworkLayer("doorLayer", door_columns(doors, settings), door_options(settings, radius), name="Doors").add_to(fmap)


def legend(*, coverage: bool = False, turfs: bool = False, doors: bool = False) -> dict:
    out = {}
    if coverage:
        out["Share of households"] = [(COVERAGE_ZERO, "none yet")] + [
            (colour, f"{round(low * 100)}%+") for low, colour in COVERAGE_SCALE[1:]]
        out["Share of households"].insert(1, (COVERAGE_SCALE[0][1], "under 20%"))
    if turfs:
        out["Walk lists (outline)"] = [(PROGRESS_ZERO, "not started"), (PROGRESS_SCALE[0][1], "under half"),
                                       (PROGRESS_SCALE[1][1], "half or more"), (PROGRESS_SCALE[2][1], "done")]
    if doors:
        out["Doors"] = [(STATUS_COLOURS[s], STATUS_LABELS[s]) for s in STATUSES]
    return out


def inline_scripts(html: str):
    """The text of every attribute-less <script> (str.find: a regex crawls over megabytes)."""
    pos = 0
    while (start := html.find("<script>", pos)) >= 0:
        end = html.find("</script>", start)
        yield html[start + 8:end]
        pos = end + 9


def page_response(fmap):
    """The folium figure as the whole page, its inline scripts allowed by hash for this response."""
    fmap.add_child(folium.LayerControl(collapsed=True))
    html = fmap.get_root().render().replace("<html>", '<html lang="en">', 1)  # folium's page names no language
    for source in inline_scripts(html):
        allow_inline_script(source)
    response = make_response(html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-store"  # addresses and outcomes: never cache
    return response
