"""The server-drawn bar charts: labels that fit, and say when they were cut short."""

from __future__ import annotations

import re

from service_builder.performance.charts import bar_chart


def test_a_long_label_is_cut_short_with_an_ellipsis_and_a_short_one_is_whole() -> None:
    long = "Apply for a resident parking permit for a second vehicle"
    svg = bar_chart("c", "Chart", [long, "Report fly-tipping"], {"sent": [3, 4]})
    assert ">Apply for a resident parking permit for…</text>" in svg
    assert long not in svg
    assert ">Report fly-tipping</text>" in svg
    assert ">Apply for a resident parking permit<" in bar_chart("c", "C", [long[:35]], {"s": [1]})


def test_a_value_there_is_none_of_is_a_dash_as_in_the_table_not_a_zero() -> None:
    """A trial: a service with nothing sent showed 0% take-up in the chart, a dash in its table."""
    svg = bar_chart("c", "Chart", ["Sent some", "Sent none"], {"Take-up": [50.0, None]}, "%")
    assert ">50%</text>" in svg and ">–</text>" in svg and ">0%" not in svg


def test_a_chart_is_drawn_at_its_own_size_and_only_ever_shrinks_to_fit() -> None:
    """A trial: drawn to the width of half a column, its text was about 8 pixels high."""
    svg = bar_chart("c", "Chart", ["One"], {"sent": [3]})
    view = re.search(r'viewBox="0 0 (\d+) \d+" width="(\d+)"', svg)
    assert view and view.group(1) == view.group(2)  # CSS max-width: 100% shrinks it
