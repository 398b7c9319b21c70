"""The price history of a line as a small SVG drawn on the server (no JavaScript).

Readable at any number of versions: one price is one labelled point (no line, no axis to
read); with many, the dates and values are labelled only where they do not overlap (the
first and the last always), the table under the chart giving every one of them.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 560, 190
LEFT, RIGHT, TOP, BOTTOM = 24, 24, 30, 34
LABEL_GAP = 80  # px between two labelled points: "01/06/2025" and "1 234,56 €" fit
EDGE_EXTRA = 40  # more beside the first and the last, whose labels are not centred


def _svg(number):
    """An SVG coordinate: a dot for decimals whatever the language ({{ x }} would print "12,5")."""
    return f"{number:.1f}"


@dataclass
class Point:
    x: float
    y: float
    label: str
    date: str
    labelled: bool = False
    anchor: str = "middle"

    @property
    def svg_x(self):
        return _svg(self.x)

    @property
    def svg_y(self):
        return _svg(self.y)

    @property
    def label_y(self):  # the price above the point
        return _svg(self.y - (14 if self.anchor == "single" else 10))

    @property
    def date_y(self):  # under a single point (a series has its dates on the axis)
        return _svg(self.y + 24)


def _labelled(points):
    """The first and the last, then every point far enough from the labelled ones."""
    chosen = [points[0]]
    for point in points[1:-1]:
        # The first and last labels run one way from their point (start, end), not both ways.
        after = LABEL_GAP + (EDGE_EXTRA if chosen[-1] is points[0] else 0)
        if point.x - chosen[-1].x >= after and points[-1].x - point.x >= LABEL_GAP + EDGE_EXTRA:
            chosen.append(point)
    if len(points) > 1:
        chosen.append(points[-1])
    for point in chosen:
        point.labelled = True
    if len(points) > 1:
        points[0].anchor, points[-1].anchor = "start", "end"


def history_chart(versions, format_value):
    """Points of the net price (or discount) over time; None when nothing is plotted."""
    plotted = [v for v in versions if not v.removed and (v.net_price is not None or v.discount is not None)]
    if not plotted:
        return None
    use_net = all(v.net_price is not None for v in plotted)
    values = [float(v.net_price if use_net else v.discount) for v in plotted]
    low, high = min(values), max(values)
    count = len(plotted)
    plot_height = HEIGHT - TOP - BOTTOM
    points = []
    for index, (version, value) in enumerate(zip(plotted, values, strict=True)):
        x = LEFT + (WIDTH - LEFT - RIGHT) * (index / (count - 1)) if count > 1 else WIDTH / 2
        y = TOP + plot_height * (1 - (value - low) / (high - low)) if high > low else TOP + plot_height / 2
        date = version.applies_from.strftime("%d/%m/%Y")
        points.append(Point(round(x, 1), round(y, 1), format_value(value, use_net), date))
    _labelled(points)
    if count == 1:
        points[0].anchor = "single"
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "single": count == 1,
        "polyline": " ".join(f"{p.svg_x},{p.svg_y}" for p in points),
        "unit": "€ HT" if use_net else "% de remise",
        "baseline": _svg(HEIGHT - BOTTOM + 8),
        "date_y": _svg(HEIGHT - 8),
        "axis_from": LEFT,
        "axis_to": WIDTH - RIGHT,
    }
