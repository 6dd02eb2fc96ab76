"""`dti kpi FRAMEWORK --data SERIES.csv [--targets TARGETS.csv] --json`."""

import json
from pathlib import Path

from dti.cli import main

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORK = ROOT / "dti" / "frameworks" / "binhdinh-kpi-2023.yaml"


def run(capsys, tmp_path, series, targets=None):
    data = tmp_path / "series.csv"
    data.write_text(series, encoding="utf-8")
    argv = ["kpi", str(FRAMEWORK), "--data", str(data), "--json"]
    if targets is not None:
        (tmp_path / "targets.csv").write_text(targets, encoding="utf-8")
        argv += ["--targets", str(tmp_path / "targets.csv")]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_monthly_series_with_targets(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "unit,period,field,value\n"
                       "bd,2024-07,7.a,80\nbd,2024-07,7.b,100\nbd,2024-08,7.a,92\nbd,2024-08,7.b,100\n"
                       "bd,2025-08,7.a,95\nbd,2025-08,7.b,100\n", "kpi,year,target\n7,2024,90\n7,2025,96\n")
    assert code == 0 and out["framework"] == "binhdinh-kpi-2023"
    rows = {r["period"]: r for r in out["kpis"]}
    assert set(out["kpis"][0]) == {"code", "unit", "period", "value", "target", "status", "change_previous", "change_year"}
    assert rows["2024-07"] | {} == {"code": "7", "unit": "bd", "period": "2024-07", "value": 80.0, "target": 90.0,
                                    "status": "not_met", "change_previous": None, "change_year": None}
    assert (rows["2024-08"]["status"], rows["2024-08"]["change_previous"]) == ("met", 12.0)
    assert (rows["2025-08"]["target"], rows["2025-08"]["status"], rows["2025-08"]["change_year"]) == (96.0, "not_met", 3.0)
    assert rows["2025-07"]["status"] == "no_data"  # a gap between reports
    assert len(rows) == 14


def test_quarterly_and_yearly_kpis_side_by_side_and_zero_denominator(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "unit,period,field,value\n"
                       "bd,2024-Q3,12.a,300\nbd,2024-Q3,12.b,600\nbd,2024,27.a,Có\nbd,2024-Q4,12.a,0\nbd,2024-Q4,12.b,0\n")
    assert code == 0
    rows = {(r["code"], r["period"]): r for r in out["kpis"]}
    assert rows[("12", "2024-Q3")]["value"] == 50.0 and rows[("12", "2024-Q3")]["status"] == "no_target"
    assert rows[("12", "2024-Q4")]["value"] is None and rows[("12", "2024-Q4")]["status"] == "no_data"
    assert rows[("27", "2024")]["value"] == 1.0


def test_lower_is_better_from_the_targets_file(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path, "unit,period,field,value\nbd,2024,26.a,2\nbd,2024,26.b,10\n",
                       "kpi,year,target,direction\n26,2024,30,lower\n")
    assert code == 0 and out["kpis"][0]["status"] == "met"


def test_bad_rows_are_problems_not_values(tmp_path, capsys):
    code, out, err = run(capsys, tmp_path, "unit,period,field,value\nbd,2024-13,1.a,1\nbd,2024-01,99.a,1\n"
                         "bd,2024-01,1.a,70\nbd,2024-01,1.b,50\n")
    assert code == 0
    messages = " ".join(p["message"] for p in out["problems"])
    assert "01 đến 12" in messages and "99.a" in messages and "không thể lớn hơn" in messages
    assert out["kpis"][0]["value"] is None
    assert "dòng 2" in err


def test_missing_columns_exit_2_with_the_expected_header(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path, "unit,field,value\nbd,1.a,1\n")
    assert code == 2 and "unit,period,field,value" in err


def test_unknown_kpi_in_targets_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path, "unit,period,field,value\nbd,2024,1.a,1\n", "kpi,year,target\n99,2024,1\n")
    assert code == 2 and "'99'" in err
