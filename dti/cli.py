"""The `dti` command line: validate, fields, score, template, sensitivity, kpi, reconcile, gains, schema.

A contract scripts rely on: JSON shapes and exit codes are documented in the README.
Exit codes: 0 success, 1 the framework has errors, 2 bad usage or unreadable input.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from .engine import compile_framework, load_framework
from .engine.csvcells import safe_row
from .engine.data import Unit, ValueError_, build_dataset, read_long_csv, read_units_csv
from .engine.model import Framework
from .engine.readings import ReadingError, parse_choices
from .engine.scoring import score
from .engine.sensitivity import sensitivity
from .engine.validate import validate_framework
from .memory import keep_freed_memory


def _fail(message: str) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 2


def _load(path: str) -> Framework:
    if not Path(path).exists():
        raise ValueError_(f"không tìm thấy tệp '{path}'")
    try:
        return load_framework(Path(path))
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            lines.append(f"  {where}: {error['msg']}")
        raise ValueError_(f"tệp bộ chỉ số '{path}' sai cấu trúc:\n" + "\n".join(lines)) from None
    except Exception as exc:  # YAML syntax errors and the like
        raise ValueError_(f"không đọc được '{path}': {exc}") from None


def cmd_validate(args) -> int:
    report = validate_framework(_load(args.framework))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"Bộ chỉ số: {report['framework']}")
        for level, info in report["levels"].items():
            if info["max_total"] is None:
                print(f"  cấp {level}: {info['indicators']} chỉ số (không chấm điểm)")
            else:
                print(f"  cấp {level}: {info['indicators']} chỉ số được chấm, tổng tối đa {info['max_total']:g} điểm")
        for kind, label in (("errors", "LỖI"), ("warnings", "Cảnh báo")):
            for issue in report[kind]:
                print(f"  {label} [{issue['code']}] {issue['message']}")
        print(f"{len(report['errors'])} lỗi, {len(report['warnings'])} cảnh báo")
    return 1 if report["errors"] else 0


def cmd_fields(args) -> int:
    framework = _load(args.framework)
    compiled = compile_framework(framework)
    if args.level and args.level not in framework.level_codes:
        return _fail(f"cấp '{args.level}' không có trong bộ chỉ số ({', '.join(framework.level_codes)})")
    rows = [
        {
            "field": spec.name,
            "type": spec.type,
            "label": spec.label,
            "indicator": spec.indicator,
            "unit": spec.spec.unit,
            "options": [o.value for o in spec.spec.options] if spec.spec.options else None,
        }
        for spec in compiled.fields_for_level(args.level)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['field']}\t{row['type']}\t{row['label']}")
    return 0


def _units(args, framework: Framework, records) -> list[Unit]:
    if args.units:
        return read_units_csv(args.units)
    seen = dict.fromkeys(r[0].strip() for r in records)
    return [Unit(id=u, name=u, level=framework.level_codes[0]) for u in seen]


def _errors(compiled) -> int:
    for issue in compiled.issues:
        print(f"Lỗi [{issue['code']}] {issue['message']}", file=sys.stderr)
    return 1 if compiled.issues else 0


def _is_xlsx(path: str) -> bool:
    return path.lower().endswith(".xlsx")


def _read_workbook(path: str, framework: Framework):
    """A filled entry template (``dti template``): its values as long records, read Vietnamese-style."""
    from .workbooks import entry

    try:
        upload = entry.read(Path(path).read_bytes())
    except entry.WorkbookError as exc:
        raise ValueError_(f"{path}: {exc}") from None
    if upload.framework != framework.code:
        raise ValueError_(f"{path} là mẫu của bộ chỉ số '{upload.framework}', không phải '{framework.code}'")
    if upload.errors:
        raise ValueError_(f"{path} có lỗi:\n" + "\n".join(f"  {where}: {message}" for where, message in upload.errors))
    return upload


def _data(args, framework: Framework, path: str) -> tuple[list, bool, str | None]:
    """(records, read Vietnamese-style, the workbook's level) from a long CSV or a filled template."""
    if _is_xlsx(path):
        from .workbooks import entry

        upload = _read_workbook(path, framework)
        return list(entry.records(upload)), True, upload.level
    return read_long_csv(path), False, None


def cmd_score(args) -> int:
    framework = _load(args.framework)
    compiled = compile_framework(framework, parse_choices(args.reading or []))
    if _errors(compiled):
        return 1
    records, vietnamese, level = _data(args, framework, args.data)
    if level is not None and not args.units:
        units = [Unit(id=u, name=u, level=level) for u in dict.fromkeys(str(r[0]) for r in records)]
    else:
        units = _units(args, framework, records)
    data = build_dataset(compiled, units, records, vietnamese=vietnamese)
    previous = None
    if args.previous:
        earlier, vietnamese, _level = _data(args, framework, args.previous)
        previous = build_dataset(compiled, units, earlier, vietnamese=vietnamese)
        for problem in previous.problems:
            problem.message = f"{'(previous period)' if args.lang == 'en' else '(kỳ trước)'} {problem.text(args.lang)}"
        data.problems.extend(previous.problems)
    result = score(compiled, data, previous, year=args.year)
    if args.format == "json":
        print(json.dumps(result.to_dict(lang=args.lang), ensure_ascii=False, indent=2))
        return 0
    writer = csv.writer(sys.stdout)
    writer.writerow(["unit", "name", "level", "indicator", "score", "max", "status", "explain"])
    for position in range(len(data.units)):
        unit = result.unit_result(position, lang=args.lang)
        writer.writerow(safe_row([unit["unit"], unit["name"], unit["level"], "TOTAL", unit["total"], unit["max"],
                                  f"rank={unit['rank']}", f"{unit['percent']}%" if unit["percent"] is not None else ""]))
        for code, item in unit["indicators"].items():
            writer.writerow(safe_row([unit["unit"], unit["name"], unit["level"], code, item["score"], item["max"],
                                      item["status"], item["explain"]]))
    for problem in result.problems:
        print(f"[{problem.unit}] {problem.field}: {problem.text(args.lang)}", file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    from .workbooks import entry

    framework = _load(args.framework)
    compiled = compile_framework(framework)
    if _errors(compiled):
        return 1
    level = args.level or framework.level_codes[0]
    if level not in framework.level_codes:
        return _fail(f"cấp '{level}' không có trong bộ chỉ số ({', '.join(framework.level_codes)})")
    if args.units:
        units = [entry.UnitColumn(u.id, u.name or u.id) for u in read_units_csv(args.units) if u.level == level]
        if not units:
            return _fail(f"tệp '{args.units}' không có đơn vị nào cấp '{level}'")
    else:
        units = [entry.UnitColumn("don-vi", "Đơn vị")]
    book = entry.build(compiled, level, units, title=f"Mẫu nhập liệu: {framework.name}")
    Path(args.output).write_bytes(entry.to_bytes(book))
    print(f"Đã ghi {args.output}: {len(units)} đơn vị, cấp {level}", file=sys.stderr)
    return 0


def cmd_sensitivity(args) -> int:
    framework = _load(args.framework)
    if _errors(compile_framework(framework)):
        return 1
    records = read_long_csv(args.data)
    previous = read_long_csv(args.previous) if args.previous else None
    report = sensitivity(framework, _units(args, framework, records), records, previous=previous, year=args.year)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    if not report["readings"]:
        print(f"Bộ chỉ số {report['framework']} không có chỉ số nào có nhiều cách đọc.", file=sys.stderr)
    writer = csv.writer(sys.stdout)
    writer.writerow(["unit", "level", "rank", "best_rank", "worst_rank", "most_sensitive_to"])
    for unit in report["units"]:
        writer.writerow(safe_row([unit["unit"], unit["level"], unit["rank"], unit["best_rank"], unit["worst_rank"],
                                  unit["most_sensitive_to"] or ""]))
    return 0


def _read_csv(path: str, columns: set[str], example: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = columns - set(reader.fieldnames or [])
        if missing:
            raise ValueError_(f"tệp '{path}' thiếu cột: {', '.join(sorted(missing))} (cần {example})")
        return list(reader)


def cmd_kpi(args) -> int:
    from .engine.kpi import DIRECTIONS, HIGHER, monitor

    framework = _load(args.framework)
    compiled = compile_framework(framework)
    records = [(r["unit"], r["period"], r["field"], r["value"])
               for r in _read_csv(args.data, {"unit", "period", "field", "value"}, "unit,period,field,value")]
    targets: dict[str, dict[int, float]] = {}
    directions: dict[str, str] = {}
    if args.targets:
        for line, row in enumerate(_read_csv(args.targets, {"kpi", "year", "target"}, "kpi,year,target[,direction]"), 2):
            try:
                year, target = int(row["year"]), float(str(row["target"]).replace(",", "."))
            except ValueError:
                raise ValueError_(f"{args.targets} dòng {line}: năm và chỉ tiêu phải là số") from None
            code = row["kpi"].strip()
            if code not in compiled.nodes:
                raise ValueError_(f"{args.targets} dòng {line}: chỉ số '{code}' không có trong bộ chỉ số")
            direction = (row.get("direction") or "").strip() or directions.get(code, HIGHER)
            if direction not in DIRECTIONS:
                raise ValueError_(f"{args.targets} dòng {line}: chiều '{direction}' phải là higher hoặc lower")
            targets.setdefault(code, {})[year] = target
            directions[code] = direction
    rows, problems = monitor(compiled, records, targets, directions)
    for problem in problems:
        print(f"[{problem.where}] {problem.message}", file=sys.stderr)
    if args.json:
        print(json.dumps({"framework": framework.code, "kpis": rows, "problems": [p.to_dict() for p in problems]},
                         ensure_ascii=False, indent=2))
        return 0
    writer = csv.writer(sys.stdout)
    fields = ["code", "unit", "period", "value", "target", "status", "change_previous", "change_year"]
    writer.writerow(fields)
    for row in rows:
        writer.writerow(safe_row(["" if row[f] is None else row[f] for f in fields]))
    return 0


def cmd_reconcile(args) -> int:
    from .engine.reconcile import read_published_csv, reconcile, unknown_codes

    framework = _load(args.framework)
    compiled = compile_framework(framework)
    if _errors(compiled):
        return 1
    published = read_published_csv(args.published)
    for code in unknown_codes(compiled, published):
        print(f"Cảnh báo: chỉ số '{code}' của kết quả công bố không có trong bộ chỉ số", file=sys.stderr)
    report = reconcile(compiled, published, args.level)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for problem in report["problems"]:
            print(f"[{problem['kind']}] {problem['message']}")
        print(f"{len(report['problems'])} điểm không khớp với phương pháp")
    return 0  # findings, not errors


def cmd_gains(args) -> int:
    from .engine.gains import find_gains

    framework = _load(args.framework)
    compiled = compile_framework(framework, parse_choices(args.reading or []))
    if _errors(compiled):
        return 1
    records = read_long_csv(args.data)
    units = _units(args, framework, records)
    data = build_dataset(compiled, units, records)
    for problem in data.problems:
        print(f"[{problem.unit}] {problem.field}: {problem.message}", file=sys.stderr)
    report = find_gains(compiled, data, args.unit, year=args.year, top=args.top)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{report['unit']}: {report['total']:g}/{report['max']:g} điểm")
    for gain in report["gains"]:
        print(gain["explain"])
    return 0


def cmd_schema(args) -> int:
    print(json.dumps(Framework.model_json_schema(), ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    keep_freed_memory()  # the command owns its process: a setting the engine itself never makes
    parser = argparse.ArgumentParser(prog="dti", description="Chấm điểm bộ chỉ số chuyển đổi số (DTI)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="kiểm tra tệp bộ chỉ số")
    p.add_argument("framework")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("fields", help="liệt kê các trường đơn vị cần nhập")
    p.add_argument("framework")
    p.add_argument("--level")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_fields)
    p = sub.add_parser("score", help="chấm điểm dữ liệu các đơn vị")
    p.add_argument("framework")
    p.add_argument("--data", required=True, help="CSV dạng dài: unit,field,value; hoặc mẫu Excel đã điền (.xlsx)")
    p.add_argument("--units", help="CSV: unit,name,level[,parent]")
    p.add_argument("--previous", help="CSV (hoặc .xlsx) kỳ trước (cho chỉ số tăng trưởng)")
    p.add_argument("--year", type=int, help="năm đánh giá (mặc định: năm của bộ chỉ số)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--lang", choices=["vi", "en"], default="vi",
                   help="ngôn ngữ của phần giải thích và thông báo (vi: 92,86%%; en: 92.86%%)")
    p.add_argument("--reading", action="append", metavar="CODE=NAME",
                   help="cách đọc cho một chỉ số có nhiều cách đọc, vd. 6.13=growth (lặp lại được)")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("template", help="tạo mẫu nhập liệu Excel (.xlsx) cho một cấp")
    p.add_argument("framework")
    p.add_argument("--level", help="cấp đơn vị (mặc định: cấp đầu tiên của bộ chỉ số)")
    p.add_argument("--units", help="CSV: unit,name,level[,parent] — mỗi đơn vị cùng cấp một cột giá trị")
    p.add_argument("-o", "--output", required=True, help="tệp .xlsx ghi ra")
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("sensitivity", help="thứ hạng thay đổi thế nào theo các cách đọc của văn bản")
    p.add_argument("framework")
    p.add_argument("--data", required=True, help="CSV dạng dài: unit,field,value")
    p.add_argument("--units", help="CSV: unit,name,level[,parent]")
    p.add_argument("--previous", help="CSV kỳ trước (cho chỉ số tăng trưởng)")
    p.add_argument("--year", type=int, help="năm đánh giá (mặc định: năm của bộ chỉ số)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sensitivity)
    p = sub.add_parser("kpi", help="theo dõi chỉ số KPI theo kỳ: giá trị, chỉ tiêu, trạng thái, thay đổi")
    p.add_argument("framework")
    p.add_argument("--data", required=True, help="CSV: unit,period,field,value (kỳ 2024, 2024-Q3, 2024-07)")
    p.add_argument("--targets", help="CSV: kpi,year,target[,direction] (direction: higher | lower)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kpi)
    p = sub.add_parser("reconcile", help="đối chiếu kết quả được công bố với phương pháp chấm")
    p.add_argument("framework")
    p.add_argument("--published", required=True, help="CSV: code,score (hoặc published_score)")
    p.add_argument("--level", help="cấp của đơn vị (mặc định: cấp đầu tiên của bộ chỉ số)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reconcile)
    p = sub.add_parser("gains", help="thay đổi nhỏ nhất của số liệu để được thêm điểm, theo từng chỉ số")
    p.add_argument("framework")
    p.add_argument("--data", required=True, help="CSV dạng dài: unit,field,value")
    p.add_argument("--units", help="CSV: unit,name,level[,parent]")
    p.add_argument("--unit", required=True, help="mã đơn vị cần xem")
    p.add_argument("--top", type=int, help="chỉ in N chỉ số được thêm nhiều điểm nhất")
    p.add_argument("--year", type=int, help="năm đánh giá (mặc định: năm của bộ chỉ số)")
    p.add_argument("--reading", action="append", metavar="CODE=NAME", help="cách đọc cho một chỉ số")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_gains)
    p = sub.add_parser("schema", help="in JSON Schema của định dạng bộ chỉ số")
    p.set_defaults(func=cmd_schema)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError_, ReadingError, FileNotFoundError, UnicodeDecodeError) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `dti fields … | head` closed the pipe: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
