"""The inline SVG charts: a gap breaks the line, no data draws nothing, the target is dashed."""

from dti.engine.kpi import parse_period, periods_between, series
from dti.kpi.charts import series_chart, sparkline


def _points(values, target=None):
    periods = periods_between(parse_period("2024-01"), parse_period("2024-12"))[: len(values)]
    return series(dict(zip(periods, values, strict=True)), {2024: target} if target is not None else {}, periods=periods)


def test_a_gap_breaks_the_line_in_two():
    svg = sparkline(_points([10.0, 20.0, None, 30.0, 40.0]))
    assert svg.count('class="value"') == 2


def test_no_data_draws_an_empty_labelled_chart():
    svg = sparkline(_points([None, None]))
    assert "<polyline" not in svg and "Chưa có số liệu" in svg


def test_target_is_a_dashed_line_and_points_are_coloured_by_status():
    svg = series_chart(_points([50.0, 70.0, 90.0], target=80.0))
    assert "stroke-dasharray" in svg
    assert svg.count('fill="#b91c1c"') == 2 and svg.count('fill="#15803d"') == 1
    assert "Tháng 03/2024: 90%" in svg


def test_a_flat_series_does_not_divide_by_zero():
    assert "<polyline" in sparkline(_points([5.0, 5.0, 5.0]))
