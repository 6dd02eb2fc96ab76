"""Plausible demo values for any framework: what a unit would type, Vietnamese style.

Used by ``manage.py load_demo`` and by ``bench/web.py``.  Values respect each field's
bounds and the indicator's constraints (``a <= b`` …) by rejection sampling.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import numpy as np

from dti.engine.data import format_number

FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Đức", "Thu", "Hoàng"]
LAST = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hòa", "Hùng", "Lan", "Linh", "Nam", "Phương", "Quân", "Tâm", "Trang", "Tuấn"]
_EQ = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*==\s*([a-z][a-z0-9_]*)\s*$")
_LE = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*<=\s*([a-z][a-z0-9_]*)\s*$")


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"


def _text(var: str, label: str, unit_code: str, unit_name: str, rng: random.Random) -> str:
    key = f"{var} {label}".lower()
    if "email" in key:
        return f"{var.split('_')[0]}.{unit_code}@minhhoa.gov.vn"
    if "dien_thoai" in key or "điện thoại" in key:
        return f"0236 3{rng.randint(100, 999)} {rng.randint(100, 999)}"
    if "website" in key or "cổng" in key or "trang" in key:
        return f"https://{unit_code}.minhhoa.gov.vn"
    if "ho_ten" in key or "họ tên" in key:
        return person(rng)
    if "chuc_vu" in key or "chức vụ" in key:
        return rng.choice(["Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Phó Giám đốc", "Giám đốc"])
    if "dia_chi" in key or "địa chỉ" in key:
        return f"Số {rng.randint(1, 200)} đường Trần Phú, thành phố Minh Hòa"
    return unit_name


def _number(spec, rng: random.Random, scale: float, quality: float) -> float:
    kind = spec.type
    low = spec.spec.min if spec.spec.min is not None else 0.0
    high = spec.spec.max
    if kind == "percent":
        value = rng.uniform(max(low, 100 * quality - 35), 100 * min(1.0, quality + 0.15))
        value = round(value, 1)
    elif kind == "money":
        value = round(rng.uniform(0.2, 40) * quality, 2)
    elif kind in ("count", "integer"):
        value = float(int(rng.uniform(0, scale) ** 1.0))
    else:
        value = round(rng.uniform(0, scale), 1)
    if high is not None:
        value = min(value, high)
    return max(value, low)


def _typed(spec, value: float, year: int) -> str:
    kind = spec.type
    if kind == "yes_no":
        return "1" if value else "0"
    if kind == "choice":
        return spec.spec.options[int(value)].value
    if kind == "date":
        return dt.date.fromordinal(int(value)).strftime("%d/%m/%Y")
    if kind in ("count", "integer"):
        return format_number(value, 0)
    return format_number(value, 2)


def _kind(specs, var: str) -> str:
    return next((s.type for s in specs if s.name.rsplit(".", 1)[1] == var), "number")


def leaf_values(node, compiled, rng: random.Random, quality: float, year: int) -> dict[str, str] | None:
    """Raw values for one leaf, or None if constraints cannot be met."""
    specs = [compiled.fields[f"{node.code}.{i.var}"] for i in node.indicator.inputs]
    if not specs:
        return {}
    scale = rng.choice([10, 20, 50, 120, 400, 1500])
    equal = [m.groups() for expr, _m in node.constraints if (m := _EQ.match(expr.source))]
    below = [m.groups() for expr, _m in node.constraints if (m := _LE.match(expr.source))]
    for _attempt in range(60):
        numbers: dict[str, float] = {}
        for spec in specs:
            var = spec.name.rsplit(".", 1)[1]
            if spec.type == "yes_no":
                numbers[var] = 1.0 if rng.random() < 0.55 + 0.4 * quality else 0.0
            elif spec.type == "choice":
                count = len(spec.spec.options)
                numbers[var] = float(0 if rng.random() < quality else rng.randrange(count))
            elif spec.type == "date":
                start = dt.date(year, 1, 5).toordinal()
                numbers[var] = float(start + int(rng.uniform(0, 330) * (1.1 - quality)))
            elif spec.type == "text":
                numbers[var] = np.nan
            else:
                numbers[var] = _number(spec, rng, scale, quality)
        for left, right in equal:
            if left in numbers and right in numbers:
                numbers[left] = numbers[right]
        # "a <= b": a is a share of b, close to it for a good unit.
        for left, right in below:
            if left in numbers and right in numbers and not np.isnan(numbers[right]):
                share = min(1.0, max(0.0, rng.uniform(quality - 0.3, 1.05)))
                value = numbers[right] * share
                numbers[left] = float(int(value)) if specs and _kind(specs, left) in ("count", "integer") else round(value, 2)
        env = {k: np.array([v]) for k, v in numbers.items()}
        ok = True
        for expression, _message in node.constraints:
            try:
                holds, _zero = expression.evaluate(env, 1)
            except KeyError:
                continue
            if not bool(np.asarray(holds)[0]):
                ok = False
                break
        if ok:
            out = {}
            for spec in specs:
                var = spec.name.rsplit(".", 1)[1]
                if spec.type == "text":
                    out[spec.name] = "Đã triển khai theo kế hoạch"
                else:
                    out[spec.name] = _typed(spec, numbers[var], year)
            return out
        if _attempt % 10 == 9:
            scale = max(scale // 2, 5)
    return None


def unit_values(compiled, level: str, unit_code: str, unit_name: str, *, seed: int, year: int,
                fill: float = 1.0, quality: float | None = None) -> dict[str, str]:
    """Every field a unit of ``level`` would fill (a share ``fill`` of indicators), typed as raw text."""
    rng = random.Random(seed)
    quality = rng.uniform(0.45, 0.95) if quality is None else quality
    values: dict[str, str] = {}
    for spec in compiled.fields_for_level(level):
        if spec.indicator is not None:
            continue
        if spec.type == "text":
            values[spec.name] = _text(spec.name[5:], spec.label, unit_code, unit_name, rng)
        else:
            values[spec.name] = _typed(spec, _number(spec, rng, 300, quality), year)
    for node in compiled.leaves:
        if level not in node.levels or rng.random() > fill:
            continue
        if node.indicator.maturity is not None and node.indicator.maturity.children is not None:
            continue
        found = leaf_values(node, compiled, rng, quality, year)
        if found:
            values.update(found)
    return values


def tiny_pdf(title: str = "Tai lieu kiem chung") -> bytes:
    """A small valid one-page PDF (for demo evidence)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
