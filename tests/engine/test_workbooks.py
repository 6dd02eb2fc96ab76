"""The entry workbook without the web: `dti template`, `dti score --data FILE.xlsx`, and reading back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dti.cli import main
from dti.engine import compile_framework, load_framework
from dti.workbooks import entry

from .workbook_helpers import cell_of, fill, with_rows

ROOT = Path(__file__).resolve().parents[2]
HCM = ROOT / "dti" / "frameworks" / "hcm-79-so.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "hcm-79"

DATED = """
code: co-ngay
name: Bộ chỉ số có ngày
source: {document: "01/QĐ-TEST"}
year: 2026
levels: [{code: so, name: "Sở, ban, ngành"}]
indicators:
  - code: "1"
    name: Thể chế
    max_points: 20
    children:
      - code: "1.1"
        name: Ban hành kế hoạch đúng hạn
        max_points: 10
        method: "Trước 31/3: tối đa"
        evidence: Kế hoạch được ban hành
        inputs: [{var: ngay, label: Ngày ban hành kế hoạch, type: date}]
        rule: {kind: date, field: ngay, steps: [{by: "31/03", share: 1}]}
      - code: "1.2"
        name: Trưởng ban
        max_points: 10
        inputs:
          - {var: tb, label: Trưởng ban, type: choice, options: [{value: gd, label: "Giám đốc, Thủ trưởng"}, {value: pgd, label: Phó}]}
        rule: {kind: choice, field: tb, scores: [{option: gd, share: 1}, {option: pgd, share: 0.5}]}
  - code: "2"
    name: Dịch vụ số
    max_points: 10
    inputs: [{var: tl, label: Tỷ lệ hồ sơ trực tuyến, type: percent}]
    rule: {kind: ratio, value: "tl / 100"}
"""


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def compiled(text=DATED):
    return compile_framework(load_framework(text))


def template(units=(("so-a", "Sở A"),), text=DATED, values=None):
    columns = [entry.UnitColumn(code, name, (values or {}).get(code, {}), "r1") for code, name in units]
    return entry.to_bytes(entry.build(compiled(text), "so", columns))


def test_template_then_score_gives_the_same_results_as_the_csv(tmp_path, capsys):
    out = tmp_path / "mau.xlsx"
    assert cli(capsys, "template", HCM, "--level", "so", "--units", EXAMPLE / "units.csv", "-o", out)[0] == 0
    records = list(csv.DictReader((EXAMPLE / "data.csv").open(encoding="utf-8")))

    def typed(value):  # what a person types: numbers as numbers, words as words
        try:
            return float(value)
        except ValueError:
            return value

    out.write_bytes(fill(out.read_bytes(), {(r["unit"], r["field"]): typed(r["value"]) for r in records}))
    code, from_xlsx, err = cli(capsys, "score", HCM, "--data", out)
    assert code == 0, err
    code, from_csv, _err = cli(capsys, "score", HCM, "--data", EXAMPLE / "data.csv")
    xlsx, plain = json.loads(from_xlsx), json.loads(from_csv)
    assert [u["total"] for u in xlsx["units"]] == [u["total"] for u in plain["units"]]
    assert [u["indicators"] for u in xlsx["units"]] == [u["indicators"] for u in plain["units"]]
    assert xlsx["problems"] == plain["problems"] == []


def test_template_has_one_sheet_per_pillar_instructions_and_hidden_originals(tmp_path, capsys):
    out = tmp_path / "mau.xlsx"
    assert cli(capsys, "template", HCM, "--level", "so", "-o", out)[0] == 0
    book = load_workbook(out)
    assert book.sheetnames[0] == "Hướng dẫn"
    assert "Trụ cột 1" in book.sheetnames and book["_dti"].sheet_state == "veryHidden"
    sheet = book["Trụ cột 1"]
    assert [c.value for c in sheet[3]][:5] == ["Mã", "Chỉ số", "Cách tính (theo văn bản)", "Nội dung cần nhập",
                                               "Đơn vị tính"]
    assert sheet.protection.sheet and book.security.lockStructure
    assert sheet["F4"].protection.locked is False and sheet["B4"].protection.locked is True


def test_drop_downs_for_choices_and_dates_validated():
    book = load_workbook(io.BytesIO(template()))
    sheet = book["Trụ cột 1"]
    found = {(dv.type, str(dv.sqref)) for dv in sheet.data_validations.dataValidation}
    # 1.1 date (row 4, its status row 5), 1.2 choice (row 6, status row 7)
    assert ("date", "F4") in found and ("list", "F6") in found and ("list", "F5 F7") in found
    assert sheet["F4"].number_format == "dd/mm/yyyy"
    # a label with a comma is read from a hidden list, not split on its comma
    lists = book["_ds"]
    assert "Giám đốc, Thủ trưởng" in [c.value for row in lists.iter_rows() for c in row]


def test_values_shown_as_people_read_them_and_read_back_unchanged():
    content = template(values={"so-a": {"1.1.ngay": "2026-03-15", "1.2.tb": "gd"}})
    sheet = load_workbook(io.BytesIO(content))["Trụ cột 1"]
    assert sheet["F4"].value.strftime("%d/%m/%Y") == "15/03/2026" and sheet["F6"].value == "Giám đốc, Thủ trưởng"
    upload = entry.read(content)
    unit = upload.units[0]
    assert upload.errors == [] and unit.revision == "r1"
    assert unit.values["1.1.ngay"].ref == "Trụ cột 1!F4" and unit.values["1.1.ngay"].text == "15/03/2026"
    spec = compiled().fields["1.1.ngay"]
    assert entry.same_value(spec, unit.values["1.1.ngay"].text, unit.originals["1.1.ngay"])


def test_text_that_looks_like_a_formula_is_written_as_text():
    content = template(units=(("so-a", '=HYPERLINK("http://x.example","bấm")'),),
                       values={"so-a": {"1.2.tb": "=1+1"}})
    book = load_workbook(io.BytesIO(content))
    header = book["Trụ cột 1"]["F3"]
    assert header.data_type == "s" and header.value.startswith("=HYPERLINK")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets"))


def test_a_bad_date_in_the_workbook_is_a_problem_like_in_csv(tmp_path, capsys):
    yaml_path = tmp_path / "fw.yaml"
    yaml_path.write_text(DATED, encoding="utf-8")
    out = tmp_path / "mau.xlsx"
    out.write_bytes(fill(template(), {("so-a", "1.1.ngay"): "31/02/2026"}))
    code, text, _err = cli(capsys, "score", yaml_path, "--data", out)
    assert code == 0
    assert "không phải ngày hợp lệ" in json.loads(text)["problems"][0]["message"]


def test_a_formula_is_refused_with_its_cell(tmp_path, capsys):
    yaml_path = tmp_path / "fw.yaml"
    yaml_path.write_text(DATED, encoding="utf-8")
    out = tmp_path / "mau.xlsx"
    out.write_bytes(fill(template(), {("so-a", "1.2.tb"): "=IF(1,\"Phó\",\"Phó\")"}))
    code, _out, err = cli(capsys, "score", yaml_path, "--data", out)
    assert code == 2 and "Trụ cột 1!F6" in err and "công thức" in err


@pytest.mark.parametrize(("spoil", "words"), [
    (lambda c: c[: len(c) // 2], "không phải tệp Excel"),
    (lambda c: b"%PDF-1.7 not a workbook", "không phải tệp Excel"),
    (lambda c: b"", "Tệp rỗng"),
    (lambda c: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel cũ \\(.xls\\) hoặc có đặt mật khẩu"),
])
def test_unreadable_files_get_a_message(spoil, words):
    with pytest.raises(entry.WorkbookError, match=words):
        entry.read(spoil(template()))


def test_a_workbook_that_is_not_ours_is_named_so():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(entry.WorkbookError, match="không phải mẫu nhập liệu"):
        entry.read(buffer.getvalue())


def test_extra_missing_sheets_merged_cells_and_extra_rows_are_errors():
    def spoil(book):
        book.create_sheet("Ghi chú của tôi")
        book["Trụ cột 1"].merge_cells("F4:F5")

    upload = entry.read(fill(template(), {}, change=spoil))
    messages = " ".join(m for _w, m in upload.errors)
    assert "Ghi chú của tôi" in messages and "Trụ cột 1!F4:F5" in messages

    upload = entry.read(fill(template(), {}, change=lambda book: book.remove(book["Trụ cột 1"])))
    assert any("Thiếu trang “Trụ cột 1”" in m for _w, m in upload.errors)

    upload = entry.read(with_rows(template(), "Trụ cột 1", 50_000))
    assert any("ngoài mẫu" in m for _w, m in upload.errors)


def test_sorted_or_inserted_rows_are_caught():
    def insert(book):
        book["Trụ cột 1"].insert_rows(5)

    upload = entry.read(fill(template(), {}, change=insert))
    assert any("không khớp mẫu" in m for _w, m in upload.errors)


def test_cell_reference_helper_agrees_with_the_reader():
    content = template()
    assert cell_of(content, "so-a", "1.2.tb") == entry.read(content).units[0].values["1.2.tb"].ref


def test_a_percentage_typed_with_its_sign_reads_as_people_see_it():
    def percent(book):
        book["Trụ cột 2"]["F4"].number_format = "0%"

    upload = entry.read(fill(template(), {("so-a", "2.tl"): 0.85}, change=percent))
    assert upload.units[0].values["2.tl"].text == "85"


def test_status_rows_read_back_as_the_engine_reads_them():
    upload = entry.read(fill(template(), {("so-a", "1.1.status"): "Miễn đánh giá"}))
    assert ("so-a", "1.1.status", "exempt") in set(entry.records(upload))
    assert entry.status_value("không có nội dung") == "no_content" and entry.status_value("có lẽ") is None


def test_damage_anywhere_in_the_file_is_a_message_never_a_crash():
    content = template(values={"so-a": {"1.1.ngay": "15/03/2026", "1.2.tb": "gd"}})
    for offset in range(0, len(content), max(1, len(content) // 60)):
        damaged = content[:offset] + bytes(24) + content[offset + 24:]
        try:
            entry.read(damaged)
        except entry.WorkbookError:
            pass


def test_the_workbook_package_does_not_import_django():
    import subprocess
    import sys

    code = ("import sys, dti.workbooks.entry, dti.workbooks.ranking, dti.workbooks.scorecard, dti.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
