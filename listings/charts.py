"""A small bar chart of daily apply clicks, drawn as inline SVG by a template.

Plain arithmetic over plain values: the admin passes {day: count} and gets
bars with their coordinates, so the page needs no JavaScript library.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    day: datetime.date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    bars: list
    width: int
    height: int
    plot_height: int
    total: int
    peak: int

    @property
    def center_x(self):
        return self.width / 2

    @property
    def center_y(self):
        return self.plot_height / 2

    @property
    def first_day(self):
        return self.bars[0].day

    @property
    def last_day(self):
        return self.bars[-1].day


def daily_bars(counts_by_day, last_day, days=30, width=360, plot_height=80, gap=2):
    """Bars for the `days` days ending with `last_day` (oldest first); days
    without clicks get a zero-height bar. The tallest bar fills the plot."""
    series = [last_day - datetime.timedelta(days=n) for n in range(days - 1, -1, -1)]
    counts = [int(counts_by_day.get(day, 0)) for day in series]
    peak = max(counts, default=0)
    slot = width / days
    bars = []
    for n, (day, count) in enumerate(zip(series, counts, strict=True)):
        height = round(plot_height * count / peak, 1) if peak else 0
        if count and height < 1:
            height = 1  # a single click stays visible next to a busy day
        bars.append(
            Bar(
                day=day,
                count=count,
                x=round(n * slot + gap / 2, 1),
                y=round(plot_height - height, 1),
                width=round(slot - gap, 1),
                height=height,
            )
        )
    return BarChart(
        bars=bars,
        width=width,
        height=plot_height + 16,
        plot_height=plot_height,
        total=sum(counts),
        peak=peak,
    )
