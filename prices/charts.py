"""The price history of a line as a small SVG drawn on the server (no JavaScript)."""

from dataclasses import dataclass

WIDTH, HEIGHT, PAD_X, PAD_Y = 560, 180, 70, 24


@dataclass
class Point:
    x: float
    y: float
    label: str
    date: str


def history_chart(versions, format_value):
    """Points of the net price (or discount) over time; None when nothing is plotted."""
    plotted = [v for v in versions if not v.removed and (v.net_price is not None or v.discount is not None)]
    if not plotted:
        return None
    use_net = all(v.net_price is not None for v in plotted)
    values = [float(v.net_price if use_net else v.discount) for v in plotted]
    low, high = min(values), max(values)
    span = (high - low) or max(high * 0.1, 1)
    low_axis, high_axis = low - span * 0.1, high + span * 0.1
    count = len(plotted)
    points = []
    for index, (version, value) in enumerate(zip(plotted, values, strict=True)):
        x = PAD_X + (WIDTH - 2 * PAD_X) * (index / (count - 1) if count > 1 else 0.5)
        y = PAD_Y + (HEIGHT - 2 * PAD_Y) * (1 - (value - low_axis) / (high_axis - low_axis))
        date = version.applies_from.strftime("%d/%m/%Y")
        points.append(Point(round(x, 1), round(y, 1), format_value(value, use_net), date))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
        "unit": "€ HT" if use_net else "% de remise",
        "baseline": HEIGHT - PAD_Y,
    }
