import datetime

from listings.charts import daily_bars
from listings.pay import PAY_TRANSPARENCY_STATES, transparency_states

TODAY = datetime.date(2026, 3, 31)


def test_thirty_bars_oldest_first_scaled_to_the_busiest_day():
    chart = daily_bars(
        {TODAY: 10, datetime.date(2026, 3, 2): 5, datetime.date(2026, 1, 1): 99}, TODAY
    )
    assert len(chart.bars) == 30
    assert (chart.first_day, chart.last_day) == (datetime.date(2026, 3, 2), TODAY)
    assert (chart.total, chart.peak) == (15, 10)  # the January day is outside the window
    first, last = chart.bars[0], chart.bars[-1]
    assert (first.count, first.height) == (5, chart.plot_height / 2)
    assert (last.count, last.height, last.y) == (10, chart.plot_height, 0)
    assert all(b.height == 0 for b in chart.bars[1:-1])
    assert [b.x for b in chart.bars] == sorted(b.x for b in chart.bars)
    assert last.x + last.width <= chart.width


def test_no_clicks_gives_flat_bars():
    chart = daily_bars({}, TODAY)
    assert (chart.total, chart.peak) == (0, 0)
    assert {b.height for b in chart.bars} == {0}


def test_one_click_next_to_a_busy_day_stays_visible():
    chart = daily_bars({TODAY: 5000, TODAY - datetime.timedelta(days=1): 1}, TODAY)
    assert chart.bars[-2].height == 1


def test_transparency_states():
    assert transparency_states([("US", "CO"), ("US", "TX")]) == (["CO"], False)
    assert transparency_states([("US", "")], remote=False) == ([], False)
    assert transparency_states([("US", "")], remote=True) == ([], True)
    assert transparency_states([("CA", "ON"), ("", "")], remote=True) == ([], False)
    assert transparency_states([("US", "NY"), ("US", "CA")], remote=True) == (["CA", "NY"], False)
    assert len(PAY_TRANSPARENCY_STATES) == 12
