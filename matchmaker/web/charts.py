"""Server-rendered horizontal bar charts: geometry computed here, drawn by the SVG macro.

Each chart is paired with a table of the same numbers on the page, so nothing is only visual.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    y: float
    x: float
    width: float
    negative: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar] = field(default_factory=list)
    width: int = 640
    height: int = 0
    label_width: int = 220
    bar_height: int = 22
    plot_width: int = 0
    zero_x: float = 0


def bar_chart(
    title: str,
    rows: list[tuple[str, float, str]],
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
    gap: int = 8,
) -> BarChart:
    """``rows`` are (label, value, displayed value). Negative values extend left of zero."""
    value_space = 90
    plot_width = max(40, width - label_width - value_space)
    values = [value for _, value, _ in rows] or [0.0]
    high, low = max(max(values), 0.0), min(min(values), 0.0)
    span = (high - low) or 1.0
    zero_x = label_width + plot_width * (-low / span)
    bars = []
    for index, (text, value, shown) in enumerate(rows):
        length = plot_width * abs(value) / span
        x = zero_x - length if value < 0 else zero_x
        bars.append(
            Bar(
                text,
                value,
                shown,
                index * (bar_height + gap),
                round(x, 1),
                round(max(length, 1.0 if value else 0.0), 1),
                value < 0,
            )
        )
    height = len(rows) * (bar_height + gap)
    return BarChart(title, bars, width, max(height, bar_height), label_width, bar_height, plot_width, round(zero_x, 1))
