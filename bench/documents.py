"""Official documents for a large ranking: PDF (WeasyPrint) and DOCX (python-docx) of N units.

    DTI_DEBUG=1 PYTHONPATH=. .venv/bin/python bench/documents.py [--units N] [--pillars P]

Builds the decision's table (STT, Đơn vị, P pillars, Tổng điểm, Xếp hạng) for N synthetic units
and times each format once (the whole render: layout and writing the file), with the process's
peak resident memory after each (PDF first, so the DOCX figure is at least the PDF's). Also one scorecard-size
PDF (with the SVG chart), the common case. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
os.environ.setdefault("DTI_DEBUG", "1")

import django  # noqa: E402

django.setup()

from dti.documents.blocks import Block, Figure, Paragraph, Table  # noqa: E402
from dti.documents.docx import render_docx  # noqa: E402
from dti.documents.meta import DocumentMeta  # noqa: E402
from dti.documents.numbers import points  # noqa: E402
from dti.documents.pdf import render_official_pdf  # noqa: E402
from dti.documents.svg import bar_chart  # noqa: E402


def measure(fn):
    """(result, seconds, peak resident MiB of the process so far: tracemalloc would slow it several times)."""
    started = time.perf_counter()
    data = fn()
    seconds = time.perf_counter() - started
    return data, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--pillars", type=int, default=6)
    args = parser.parse_args()
    meta = DocumentMeta(issuer="Sở Thông tin và Truyền thông", parent_issuer="UBND tỉnh Minh Hòa", title="Quyết định",
                        summary="Về việc công bố kết quả", symbol="QĐ-STTTT", place="Minh Hòa",
                        date=dt.date(2026, 11, 29), recipients=["UBND tỉnh", "Lưu: VT"], signer_title="Giám đốc")
    pillars = [f"Trụ cột số {i + 1}" for i in range(args.pillars)]
    rows = [[str(u + 1), f"Đơn vị thử nghiệm số {u + 1}", *[points((u * 7 + p * 13) % 100 / 3) for p in
                                                             range(args.pillars)], points(u % 500 / 7), str(u + 1)]
            for u in range(args.units)]
    table = Table(["STT", "Đơn vị", *pillars, "Tổng điểm", "Xếp hạng"], rows,
                  numeric=set(range(2, args.pillars + 4)), widths=[0.6, 3.2] + [1.2] * (args.pillars + 2))
    blocks: list[Block] = [Paragraph("Công bố kết quả."), table]
    render_official_pdf(meta, [Paragraph("khởi động")])  # loading pango and fonts is not part of it
    pdf, pdf_s, pdf_mb = measure(lambda: render_official_pdf(meta, blocks, landscape=True))
    docx, docx_s, docx_mb = measure(lambda: render_docx(meta, blocks, landscape=True))
    svg = bar_chart(pillars, [("Tự đánh giá", [50.0] * args.pillars), ("Kết quả đánh giá", [40.0] * args.pillars)])
    small: list[Block] = [Figure(svg, "Biểu đồ", Table(["Trụ cột", "%"], [[p, "40,00"] for p in pillars])),
             Table(["Mã", "Chỉ số", "Tối đa", "Tự đánh giá", "Kết quả"], [[str(i), f"Chỉ số {i}", "10,00", "5,00", "4,00"]
                                                                         for i in range(60)])]
    _card, card_s, _card_mb = measure(lambda: render_official_pdf(meta, small))
    result = {"units": args.units, "pillars": args.pillars, "pdf_seconds": round(pdf_s, 2),
              "pdf_peak_mb": round(pdf_mb, 1), "pdf_bytes": len(pdf), "docx_seconds": round(docx_s, 2),
              "docx_peak_mb": round(docx_mb, 1), "docx_bytes": len(docx), "scorecard_pdf_seconds": round(card_s, 2)}
    print(f"ranking of {args.units} units × {args.pillars} pillars: PDF {pdf_s:.1f} s ({len(pdf) // 1024} KiB, "
          f"peak {pdf_mb:.0f} MiB), DOCX {docx_s:.1f} s ({len(docx) // 1024} KiB, peak {docx_mb:.0f} MiB); "
          f"a scorecard PDF with its chart {card_s:.2f} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
