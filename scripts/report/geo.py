"""NUTS-2 choropleth maps drawn with matplotlib alone (no geopandas or cartopy).

Boundaries: scenarios/data/geo/ (Eurostat GISCO, 1:60M, WGS84; see its README). They are projected
to the Lambert azimuthal equal-area projection of EPSG:3035 (ETRS89-extended / LAEA Europe), the
projection Eurostat itself uses for statistical maps: areas are true, so a large region does not
look larger than it is relative to a small one. The map window covers continental Europe to Cyprus;
EU regions whose polygons lie outside it (the Azores, Madeira) are drawn in inset boxes, and the
six outermost regions without polygons in the 1:60M files (ES70, FRY1-5) are returned so the page
can list their values.
"""
import json
import math
import os

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

ATTRIBUTION = "© EuroGeographics for the administrative boundaries (data source: GISCO, Eurostat)"
GEO_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scenarios", "data", "geo"))
REGIONS_FILE = "nuts2_2021_60m.geojson"
COUNTRIES_FILE = "countries_2021_60m.geojson"

# EPSG:3035 on the GRS80 ellipsoid: origin 52N 10E, false easting 4,321,000 m, false northing 3,210,000 m.
_A = 6378137.0
_F = 1 / 298.257222101
_E2 = 2 * _F - _F * _F
_E = math.sqrt(_E2)
_LAT0, _LON0 = math.radians(52.0), math.radians(10.0)
_FE, _FN = 4321000.0, 3210000.0


def _q(sin_phi):
    return (1 - _E2) * (sin_phi / (1 - _E2 * sin_phi ** 2)
                        - (1 / (2 * _E)) * np.log((1 - _E * sin_phi) / (1 + _E * sin_phi)))


_QP = float(_q(1.0))
_BETA0 = math.asin(float(_q(math.sin(_LAT0))) / _QP)
_RQ = _A * math.sqrt(_QP / 2)
_D = _A * (math.cos(_LAT0) / math.sqrt(1 - _E2 * math.sin(_LAT0) ** 2)) / (_RQ * math.cos(_BETA0))


def laea(lon, lat):
    """(easting, northing) in metres of EPSG:3035 for longitudes and latitudes in degrees.

    The ellipsoidal oblique formulas of IOGP Guidance Note 7-2 (section 1.3.11); its worked example
    (50N 5E -> 3,962,799.45 E, 2,999,718.85 N) is checked by the tests."""
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    beta = np.arcsin(np.clip(_q(np.sin(lat)) / _QP, -1.0, 1.0))
    dlon = lon - _LON0
    b = _RQ * np.sqrt(2 / (1 + math.sin(_BETA0) * np.sin(beta) + math.cos(_BETA0) * np.cos(beta) * np.cos(dlon)))
    east = _FE + b * _D * np.cos(beta) * np.sin(dlon)
    north = _FN + (b / _D) * (math.cos(_BETA0) * np.sin(beta) - math.sin(_BETA0) * np.cos(beta) * np.cos(dlon))
    return east, north


# Continental EU from Portugal to Cyprus and from Crete to Lapland, with room in the Atlantic (left)
# for the insets. Chosen by hand: the extent of all EU polygons would include the Azores and shrink
# the continent to a third of the frame.
MAIN_EXTENT = (2.3e6, 6.6e6, 1.38e6, 5.42e6)   # x min, x max, y min, y max (metres, EPSG:3035)


def _ring_path(ring):
    x, y = laea([p[0] for p in ring], [p[1] for p in ring])
    return np.column_stack([x, y])


def _signed_area(v):
    x, y = v[:, 0], v[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


class Shape:
    """One feature: a compound path (outer rings anticlockwise, holes clockwise, so the holes stay
    empty whatever fill rule the renderer uses; Wien inside Niederösterreich, Berlin inside
    Brandenburg) and its bounding box."""

    def __init__(self, code, name, geometry):
        self.code, self.name = code, name
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        verts, codes = [], []
        self.parts = []   # (path, bbox) of each polygon, for placing insets
        for polygon in polygons:
            pverts, pcodes = [], []
            for i, ring in enumerate(polygon):
                v = _ring_path(ring)
                if len(v) < 3:
                    continue
                area = _signed_area(v)
                if (i == 0 and area < 0) or (i > 0 and area > 0):
                    v = v[::-1]
                c = np.full(len(v), Path.LINETO, dtype=Path.code_type)
                c[0] = Path.MOVETO
                v = np.vstack([v, v[:1]])
                c = np.append(c, Path.CLOSEPOLY)
                pverts.append(v)
                pcodes.append(c)
            if pverts:
                pv, pc = np.vstack(pverts), np.concatenate(pcodes)
                verts.append(pv)
                codes.append(pc)
                self.parts.append((Path(pv, pc), (pv[:, 0].min(), pv[:, 0].max(), pv[:, 1].min(), pv[:, 1].max())))
        self.path = Path(np.vstack(verts), np.concatenate(codes))
        v = self.path.vertices
        self.bbox = (v[:, 0].min(), v[:, 0].max(), v[:, 1].min(), v[:, 1].max())


class Boundaries:
    """The NUTS-2 regions and the countries, projected once."""

    def __init__(self, directory=GEO_DIR):
        self.directory = directory
        self.regions = {s.code: s for s in self._load(os.path.join(directory, REGIONS_FILE))}
        self.countries = self._load(os.path.join(directory, COUNTRIES_FILE))

    @staticmethod
    def _load(path):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            raise ValueError(f"{path}: cannot read the map boundaries ({e})")
        shapes = []
        for i, feature in enumerate(data.get("features", [])):
            geometry = feature.get("geometry") or {}
            props = feature.get("properties") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon") or "id" not in props:
                raise ValueError(f"{path}: feature {i} is not a Polygon/MultiPolygon with an id")
            shapes.append(Shape(str(props["id"]), str(props.get("na", "")), geometry))
        if not shapes:
            raise ValueError(f"{path}: no features")
        return shapes


def _inside(bbox, extent):
    cx, cy = (bbox[0] + bbox[1]) / 2, (bbox[2] + bbox[3]) / 2
    return extent[0] <= cx <= extent[1] and extent[2] <= cy <= extent[3]


# Names short enough for an inset box; other regions that end up in an inset show their code.
INSET_NAMES = {"PT20": "Açores (PT20)", "PT30": "Madeira (PT30)"}

NO_DATA_COLOUR = "#d9d9d9"
OUTSIDE_COLOUR = "#f0f0f0"      # land that is not part of the simulated world
SEA_COLOUR = "#f4f8fb"


def draw(ax, boundaries, codes, colours, title=None, extent=MAIN_EXTENT, inset_codes=None, labels=None):
    """Draw a choropleth on ax: `codes` are the simulated regions, `colours` their face colours (RGBA
    rows, or None for no data). Other land is drawn pale. Returns the codes that have no polygon.

    EU regions of `codes` whose polygons lie outside `extent` get inset boxes along the left edge,
    in the order given by inset_codes (default: as found), each labelled with labels[code] (default:
    the code)."""
    ax.set_facecolor(SEA_COLOUR)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#9a9a9a")
        spine.set_linewidth(0.8)
    colour_of = dict(zip(codes, colours))
    missing = [c for c in codes if c not in boundaries.regions]
    outside = [c for c in (inset_codes or codes) if c in boundaries.regions and c in colour_of
               and not _inside(boundaries.regions[c].bbox, extent)]
    simulated_countries = {c[:2] for c in codes}
    _layer(ax, boundaries, colour_of, simulated_countries)
    if title:
        ax.set_title(title)
    # Insets stacked down the left edge (over the Atlantic and Iceland, where nothing simulated lies).
    size = 0.15
    for i, code in enumerate(outside):
        shape = boundaries.regions[code]
        inset = ax.inset_axes([0.006, 0.994 - (i + 1) * (size + 0.012), size, size])
        x0, x1, y0, y1 = shape.bbox
        half = max(x1 - x0, y1 - y0) / 2 * 1.15 + 2e4
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        inset.set_facecolor(SEA_COLOUR)
        inset.set_xlim(cx - half, cx + half)
        inset.set_ylim(cy - half, cy + half)
        inset.set_aspect("equal")
        inset.set_xticks([])
        inset.set_yticks([])
        inset.grid(False)
        for spine in inset.spines.values():
            spine.set_visible(True)
            spine.set_color("#7a7a7a")
            spine.set_linewidth(0.8)
        _layer(inset, boundaries, {code: colour_of[code]}, simulated_countries)
        inset.text(0.04, 0.96, (labels or INSET_NAMES).get(code, code), transform=inset.transAxes, fontsize=8,
                   color="#333333", va="top", zorder=6,
                   bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.0})
    return missing


def _layer(ax, boundaries, colour_of, simulated_countries):
    """Countries as a pale background; the regions of colour_of on top; then the borders of the
    simulated countries drawn darker (NUTS codes start with the country code, EL for Greece as in
    the country file)."""
    ax.add_collection(PatchCollection([PathPatch(s.path) for s in boundaries.countries], facecolor=OUTSIDE_COLOUR,
                                      edgecolor="#cfcfcf", linewidth=0.4, zorder=1))
    shapes = [boundaries.regions[c] for c in colour_of if c in boundaries.regions]
    faces = [NO_DATA_COLOUR if colour_of[s.code] is None else colour_of[s.code] for s in shapes]
    hatches = [s for s in shapes if colour_of[s.code] is None]
    ax.add_collection(PatchCollection([PathPatch(s.path) for s in shapes], facecolor=faces, edgecolor="white",
                                      linewidth=0.25, zorder=2))
    if hatches:
        ax.add_collection(PatchCollection([PathPatch(s.path) for s in hatches], facecolor="none",
                                          edgecolor="#9a9a9a", hatch="////", linewidth=0, zorder=3))
    borders = [PathPatch(s.path) for s in boundaries.countries if s.code in simulated_countries]
    if borders:
        ax.add_collection(PatchCollection(borders, facecolor="none", edgecolor="#6e6e6e", linewidth=0.55, zorder=4))


def legend_patches():
    """Legend entries for the two kinds of grey."""
    return [Rectangle((0, 0), 1, 1, facecolor=NO_DATA_COLOUR, edgecolor="#9a9a9a", hatch="////", linewidth=0.5),
            Rectangle((0, 0), 1, 1, facecolor=OUTSIDE_COLOUR, edgecolor="#c8c8c8", linewidth=0.5)]
