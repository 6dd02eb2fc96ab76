"""The `dti` command line: JSON shapes and exit codes (0 ok, 1 framework errors, 2 unreadable input)."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dti.cli import main

from .helpers import AB, field, framework, leaf

ROOT = Path(__file__).resolve().parents[2]

GOOD = framework([{"code": "1", "name": "Nhận thức số", "max_points": 20, "children": [
    leaf("1.1", {"kind": "yes_no", "field": "c"}, [field("c", "yes_no", label="Đã ban hành")]),
    leaf("1.2", {"kind": "ratio", "value": "a / b"}, AB,
         constraints=[{"check": "a <= b", "message": "a không thể lớn hơn b"}]),
]}, leaf("2", {"kind": "growth", "value": "a", "target": 10}, [field("a", "number")])],
    general_info=[{"var": "so_cong_chuc", "label": "Số lượng công chức", "type": "integer"}],
    levels=[{"code": "so", "name": "Sở", "declared_total": 30}])


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True),
                    encoding="utf-8")
    return str(path)


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_validate_clean_exits_0_with_json_report(tmp_path, capsys):
    code, out, _ = cli(capsys, "validate", write(tmp_path, "f.yaml", GOOD), "--json")
    assert code == 0
    report = json.loads(out)
    assert report == {"framework": "thu-nghiem", "levels": {"so": {"max_total": 30.0, "indicators": 3, "pillars": 2}},
                      "errors": [], "warnings": []}


def test_cli_validate_warnings_only_exits_0(tmp_path, capsys):
    fw = GOOD | {"levels": [{"code": "so", "name": "Sở", "declared_total": 100}]}
    code, out, _ = cli(capsys, "validate", write(tmp_path, "f.yaml", fw), "--json")
    assert code == 0
    assert json.loads(out)["warnings"][0]["severity"] == "warning"


def test_cli_validate_with_errors_exits_1(tmp_path, capsys):
    fw = framework([leaf("1", {"kind": "ratio", "value": "a / z"}, AB)])
    code, out, _ = cli(capsys, "validate", write(tmp_path, "f.yaml", fw), "--json")
    assert code == 1
    error = json.loads(out)["errors"][0]
    assert set(error) == {"code", "severity", "message"}
    assert error["severity"] == "error"


def test_cli_validate_text_output(tmp_path, capsys):
    code, out, _ = cli(capsys, "validate", write(tmp_path, "f.yaml", GOOD))
    assert code == 0
    assert "Bộ chỉ số: thu-nghiem" in out
    assert out.rstrip().endswith("0 lỗi, 0 cảnh báo")


@pytest.mark.parametrize(("name", "content"), [
    ("broken.yaml", "code: [unclosed"),
    ("empty.yaml", ""),
    ("list.yaml", "- 1\n- 2\n"),
    ("shape.yaml", "code: x\nname: y\n"),
])
def test_cli_validate_unreadable_exits_2(tmp_path, capsys, name, content):
    code, out, err = cli(capsys, "validate", write(tmp_path, name, content))
    assert code == 2
    assert out == ""
    assert err.startswith("Lỗi: ")


def test_cli_validate_missing_file_exits_2(tmp_path, capsys):
    code, _, err = cli(capsys, "validate", tmp_path / "khong-co.yaml")
    assert code == 2
    assert "không tìm thấy tệp" in err


def test_cli_validate_shape_error_names_the_location(tmp_path, capsys):
    fw = framework([leaf("1", {"kind": "ratio"}, AB)])
    code, _, err = cli(capsys, "validate", write(tmp_path, "f.yaml", fw))
    assert code == 2
    assert "sai cấu trúc" in err and "indicators.0.rule" in err


def test_cli_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["khong-co-lenh"])
    assert exc.value.code == 2


def test_cli_fields_json(tmp_path, capsys):
    code, out, _ = cli(capsys, "fields", write(tmp_path, "f.yaml", GOOD), "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["field"] for r in rows] == ["info.so_cong_chuc", "1.1.c", "1.2.a", "1.2.b", "2.a"]
    assert set(rows[0]) == {"field", "type", "label", "indicator", "unit", "options"}
    assert rows[1]["indicator"] == "1.1" and rows[1]["type"] == "yes_no"


def test_cli_fields_unknown_level_exits_2(tmp_path, capsys):
    code, _, err = cli(capsys, "fields", write(tmp_path, "f.yaml", GOOD), "--level", "tinh")
    assert code == 2
    assert "cấp 'tinh'" in err


def test_cli_score_json(tmp_path, capsys):
    data = write(tmp_path, "data.csv", "unit,field,value\nso-a,1.1.c,có\nso-a,1.2.a,1\nso-a,1.2.b,3\n"
                                       "so-a,2.a,110\nso-b,1.2.a,5\nso-b,1.2.b,4\nso-b,2.a,90\n")
    previous = write(tmp_path, "prev.csv", "unit,field,value\nso-a,2.a,100\nso-b,2.a,100\n")
    code, out, _ = cli(capsys, "score", write(tmp_path, "f.yaml", GOOD), "--data", data, "--previous", previous)
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"framework", "units", "problems"}
    a, b = result["units"]
    assert set(a) == {"unit", "name", "level", "total", "max", "percent", "rank", "maturity", "indicators"}
    assert (a["unit"], a["total"], a["max"], a["rank"]) == ("so-a", 23.3333, 30.0, 1)
    assert set(a["indicators"]["1.2"]) == {"score", "max", "status", "value", "explain"}
    assert a["indicators"]["1.2"]["explain"] == "a = 1, b = 3, tỷ lệ = 33,33% → 3,33/10 điểm"
    assert a["indicators"]["2"]["score"] == 10.0
    assert (b["rank"], b["indicators"]["1.2"]["status"]) == (2, "invalid")
    assert result["problems"] == [{"unit": "so-b", "field": "1.2.a", "indicator": "1.2", "severity": "error",
                                   "message": "a không thể lớn hơn b (a = 5, b = 4)"}]


def test_cli_score_with_units_file_and_csv_output(tmp_path, capsys):
    units = write(tmp_path, "units.csv", "unit,name,level\nso-a,Sở A,so\nso-b,Sở B,so\n")
    data = write(tmp_path, "data.csv", "unit,field,value\nso-a,1.1.c,có\nso-b,1.1.c,sai\n")
    code, out, err = cli(capsys, "score", write(tmp_path, "f.yaml", GOOD), "--data", data, "--units", units,
                         "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "unit,name,level,indicator,score,max,status,explain"
    assert lines[1].startswith("so-a,Sở A,so,TOTAL,10.0,30.0,rank=1")
    assert "[so-b] 1.1.c: Đã ban hành: 'sai' không phải Có/Không" in err


def test_cli_score_framework_with_errors_exits_1(tmp_path, capsys):
    fw = write(tmp_path, "f.yaml", framework([leaf("1", {"kind": "ratio", "value": "a / z"}, AB)]))
    data = write(tmp_path, "data.csv", "unit,field,value\n")
    code, out, err = cli(capsys, "score", fw, "--data", data)
    assert code == 1
    assert out == "" and "Lỗi [1]" in err


def test_cli_score_missing_or_malformed_data_exits_2(tmp_path, capsys):
    fw = write(tmp_path, "f.yaml", GOOD)
    assert cli(capsys, "score", fw, "--data", tmp_path / "khong-co.csv")[0] == 2
    bad = write(tmp_path, "bad.csv", "unit,value\nso-a,1\n")
    code, _, err = cli(capsys, "score", fw, "--data", bad)
    assert code == 2 and "thiếu cột" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("unit,field,value\nso-a,1.1.c,có\n".encode("latin-1"))
    assert cli(capsys, "score", fw, "--data", latin)[0] == 2


def test_cli_schema_is_json_schema(capsys):
    code, out, _ = cli(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert "indicators" in schema["properties"]


def test_cli_runs_as_a_module_on_the_readme_example():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "dti.cli", "validate", str(ROOT / "docs/examples/vidu/framework.yaml"), "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["errors"] == []


READINGS = framework([{"code": "1", "name": "Kinh phí", "max_points": 20, "inputs": [field("a", "money")],
                       "readings": [
    {"name": "min_max", "label": "Min-Max", "default": True,
     "rule": {"kind": "relative", "method": "min_max", "value": "a"}},
    {"name": "ratio_to_best", "label": "So với cao nhất",
     "rule": {"kind": "relative", "method": "max_ratio", "value": "a"}},
]}])
READINGS_DATA = "unit,field,value\nx,1.a,10\ny,1.a,5\n"


def test_cli_score_with_a_reading_names_it_in_the_result(tmp_path, capsys):
    fw, data = write(tmp_path, "f.yaml", READINGS), write(tmp_path, "d.csv", READINGS_DATA)
    code, out, _ = cli(capsys, "score", fw, "--data", data, "--reading", "1=ratio_to_best")
    result = json.loads(out)
    assert code == 0 and result["readings"] == {"1": "ratio_to_best"}
    assert [u["indicators"]["1"]["score"] for u in result["units"]] == [20, 10]


def test_cli_score_unknown_reading_exits_2_with_the_names_there_are(tmp_path, capsys):
    fw, data = write(tmp_path, "f.yaml", READINGS), write(tmp_path, "d.csv", READINGS_DATA)
    code, out, err = cli(capsys, "score", fw, "--data", data, "--reading", "1=khac")
    assert code == 2 and out == ""
    assert "chỉ số '1' không có cách đọc 'khac' (có: min_max, ratio_to_best)" in err


def test_cli_sensitivity_json_shape(tmp_path, capsys):
    fw, data = write(tmp_path, "f.yaml", READINGS), write(tmp_path, "d.csv", READINGS_DATA)
    code, out, _ = cli(capsys, "sensitivity", fw, "--data", data, "--json")
    report = json.loads(out)
    assert code == 0 and report["framework"] == "thu-nghiem"
    assert [(r["indicator"], r["reading"]) for r in report["readings"]] == [("1", "min_max"), ("1", "ratio_to_best")]
    assert report["units"] == [
        {"unit": "x", "level": "so", "rank": 1, "best_rank": 1, "worst_rank": 1, "most_sensitive_to": None},
        {"unit": "y", "level": "so", "rank": 2, "best_rank": 2, "worst_rank": 2, "most_sensitive_to": None},
    ]


def test_cli_sensitivity_of_a_broken_framework_exits_1(tmp_path, capsys):
    broken = framework([leaf("1", {"kind": "ratio", "value": "a / c"}, AB)])
    code, _, err = cli(capsys, "sensitivity", write(tmp_path, "f.yaml", broken), "--data",
                       write(tmp_path, "d.csv", "unit,field,value\nx,1.a,1\n"), "--json")
    assert code == 1 and "'c'" in err


def test_cli_csv_output_writes_formula_like_text_as_text(tmp_path, capsys):
    units = write(tmp_path, "units.csv", 'unit,name,level\nso-a,"=HYPERLINK(""http://x"",""Sở A"")",so\n'
                                         "so-b,-Sở B,so\nso-c,@SUM(1),so\n")
    data = write(tmp_path, "data.csv", "unit,field,value\nso-a,1.1.c,có\nso-b,1.1.c,không\nso-c,1.1.c,có\n")
    code, out, _ = cli(capsys, "score", write(tmp_path, "f.yaml", GOOD), "--data", data, "--units", units,
                       "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    names = {row[0]: row[1] for row in rows[1:]}
    assert names == {"so-a": "'=HYPERLINK(\"http://x\",\"Sở A\")", "so-b": "'-Sở B", "so-c": "'@SUM(1)"}
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert {row[4] for row in rows[1:] if row[3] == "TOTAL"} <= {"10.0", "0.0"}  # scores stay numbers


def test_cli_does_not_import_django():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", "import sys, dti.cli; print('django' in sys.modules)"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.stdout.strip() == "False", done.stderr
