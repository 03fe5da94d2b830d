"""The server-drawn bar charts: labels that fit, and say when they were cut short."""

from __future__ import annotations

from service_builder.performance.charts import bar_chart


def test_a_long_label_is_cut_short_with_an_ellipsis_and_a_short_one_is_whole() -> None:
    long = "Apply for a resident parking permit"
    svg = bar_chart("c", "Chart", [long, "Report fly-tipping"], {"sent": [3, 4]})
    assert ">Apply for a resident parking…</text>" in svg
    assert long not in svg
    assert ">Report fly-tipping</text>" in svg
