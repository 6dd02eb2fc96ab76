"""What goes into the campaign's results and a unit's scorecard as official documents.

Reads only: the ranking comes from ``results.selectors.campaign_scores`` seen through the viewer's
``ResultsScope`` (exactly what the ranking page shows them), the scorecard from
``results.selectors.scorecard``. Document text is Vietnamese whatever the interface language:
these are Vietnamese administrative documents.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils import timezone
from django.utils.text import slugify

from dti.results.selectors import ResultsScope, Scorecard, campaign_scores

from .blocks import Block, Figure, Heading, Paragraph, Table
from .meta import DocumentMeta
from .numbers import points
from .svg import bar_chart

_PLACE = re.compile(r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã|xã|phường)\s+",
                    re.IGNORECASE)
_SMALL_WORDS = {"và", "của", "các"}


def _root(unit):
    seen = 0
    while unit is not None and unit.parent_id is not None and seen < 20:  # a guard against a cycle in bad data
        unit, seen = unit.parent, seen + 1
    return unit


def place_of(unit) -> str:
    """'Minh Hòa' from 'UBND tỉnh Minh Hòa' (the province at the top of the unit's tree), or ''."""
    root = _root(unit)
    if root is None:
        return ""
    name = unicodedata.normalize("NFC", root.name)
    match = _PLACE.match(name)
    return name[match.end():].strip() if match else ""


def abbreviation(name: str) -> str:
    """The symbol part for an issuer: 'UBND' for a people's committee, else the initials
    ('Sở Thông tin và Truyền thông' → 'STTTT'), which the administrator corrects in the form if needed."""
    text = unicodedata.normalize("NFC", name).strip()
    if re.match(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\b", text, re.IGNORECASE):
        return "UBND"
    return "".join(w[0].upper() for w in text.split() if w.lower() not in _SMALL_WORDS and w[0].isalpha())


def _signer_for(issuer: str) -> tuple[str, str]:
    """(authority, title) usual for the issuer: a committee signs on behalf of its members."""
    lowered = issuer.lower()
    if lowered.startswith(("ubnd", "ủy ban", "uỷ ban")):
        return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    if lowered.startswith("sở"):
        return "", "GIÁM ĐỐC"
    return "", "THỦ TRƯỞNG ĐƠN VỊ"


def default_meta(campaign, *, kind: str, unit=None) -> DocumentMeta:
    """Defaults for the form: issued by the campaign's lead agency (a ranking, or a scorecard an
    administrator issues) or by the unit itself (its own scorecard, ``unit`` given)."""
    issuing = unit or campaign.lead_unit
    issuer = issuing.name if issuing else ""
    parent = issuing.parent.name if issuing is not None and issuing.parent_id else ""
    authority, title = _signer_for(issuer)
    symbol = ("QĐ-" if kind == "ranking" else "BC-") + abbreviation(issuer) if issuer else ""
    if kind == "ranking":
        summary = f"Về việc công bố kết quả {campaign.name}"
        recipients = ([parent] if parent else []) + ["Các đơn vị được đánh giá", "Lưu: VT"]
    else:
        summary = f"Kết quả {campaign.name}"
        lead = campaign.lead_unit.name if campaign.lead_unit_id and campaign.lead_unit != issuing else ""
        recipients = ([lead] if lead else []) + ["Lưu: VT"]
    return DocumentMeta(
        issuer=issuer, parent_issuer=parent, title="QUYẾT ĐỊNH" if kind == "ranking" else "BÁO CÁO", summary=summary,
        symbol=symbol, place=place_of(issuing) if issuing else "", date=timezone.localdate(), recipients=recipients,
        signer_authority=authority, signer_title=title,
    )


def file_name(*parts: str, ext: str) -> str:
    """'ket-qua-xep-hang-danh-gia-so-2026.pdf': ASCII, says what it is (đ is not decomposed by NFKD);
    a part already contained in the previous ones (the year in a campaign's name) is not repeated."""
    kept: list[str] = []
    for part in parts:
        if part and part not in " ".join(kept):
            kept.append(part)
    text = "-".join(kept).replace("đ", "d").replace("Đ", "D").replace("/", "-")
    return f"{slugify(text)[:120] or 'van-ban'}.{ext}"


def _percent(score: float | None, maximum: float | None) -> float | None:
    if score is None or not maximum:
        return None
    return 100 * score / maximum


def ranking_blocks(campaign, scope: ResultsScope, intro: list[str]) -> tuple[list[Block], int]:
    """The decision's body: the intro paragraphs, then one table per ranking group with what the
    viewer may see (STT, Đơn vị, each pillar by name, Tổng điểm, Xếp hạng); also the widest table's
    column count, to choose landscape."""
    scores = campaign_scores(campaign)
    groups = [g.seen_by(scope) for g in scores.groups]
    groups = [g for g in groups if len(g)]
    blocks: list[Block] = [Paragraph(text) for text in intro]
    if not campaign.is_published:
        blocks.append(Paragraph("Dự thảo: kết quả chưa được công bố chính thức.", italic=True))
    elif any(not scores.published[g.order].all() for g in groups):  # the lead agency sees working results too
        blocks.append(Paragraph("Dự thảo: bảng gồm cả đơn vị chưa được công bố kết quả; thứ hạng là tạm tính.",
                                italic=True))
    ranked_by, scored = scores.ranked_by, scores.framework.scored
    names = {m.level: m.name for m in (scores.framework.maturity_levels or [])}
    widest = 0
    for group in groups:
        if scored:
            headers = ["STT", "Đơn vị", *[name for _code, name in group.pillars], "Tổng điểm"]
            if ranked_by == "percent":
                headers.append("Tỷ lệ (%)")
        elif ranked_by == "maturity":
            headers = ["STT", "Đơn vị", "Mức độ"]
        else:
            headers = ["STT", "Đơn vị", "Trạng thái"]
        if ranked_by != "none":
            headers.append("Xếp hạng")
        rows = []
        for index, r in enumerate(group.rows, start=1):
            cells = [str(index), r.info.name]
            if scored:
                cells += [points(verified) for verified, _self, _max in r.pillars]
                cells.append(points(r.total))
                if ranked_by == "percent":
                    cells.append(points(r.percent))
            elif ranked_by == "maturity":
                level = r.maturity
                name = names.get(level) or ("chưa đạt mức 1" if level == 0 else "") if level is not None else ""
                cells.append("—" if level is None else f"{level} ({name})" if name else str(level))
            else:
                cells.append(r.info.state_label)
            if ranked_by != "none":
                cells.append(str(r.rank) if r.rank else "—")
            rows.append(cells)
        widest = max(widest, len(headers))
        numeric = set(range(2, len(headers))) if scored else {len(headers) - 1}
        widths = [0.6, 3.2] + ([2.0, 1.0] if ranked_by == "maturity" else [1.2] * (len(headers) - 2))
        widths = widths[:len(headers)]
        caption = f"Nhóm: {group.label}" if len(groups) > 1 or group.label else ""
        blocks.append(Table(headers, rows, numeric=numeric, widths=widths, caption=caption))
    if not groups:
        blocks.append(Paragraph("Chưa có kết quả nào bạn được phép xem.", italic=True))
    return blocks, widest


def scorecard_blocks(campaign, card: Scorecard, intro: list[str]) -> list[Block]:
    """The scorecard: totals, the pillars as an SVG bar chart (percent of max) with its data table,
    then every pillar and indicator, self-assessed and verified."""
    blocks: list[Block] = [Paragraph(text) for text in intro]
    blocks.append(Paragraph(f"Đơn vị: {card.info.name}. Trạng thái hồ sơ: {card.info.state_label}.", bold=True))
    if card.scored:
        line = (f"Tổng điểm tự đánh giá: {points(card.self_total)}; kết quả đánh giá: {points(card.total)} "
                f"trên tối đa {points(card.max)} điểm ({points(card.percent)}%).")
        if card.rank:
            size = len(card.group.rows) if card.group else 0
            line += f" Xếp hạng: {card.rank}/{size}."
        blocks.append(Paragraph(line))
        pillars = [r for r in card.rows if r.depth == 0]
        self_pct = [_percent(r.self_score, r.max) for r in pillars]
        verified_pct = [_percent(r.score, r.max) for r in pillars]
        svg = bar_chart([r.name for r in pillars], [("Tự đánh giá", self_pct), ("Kết quả đánh giá", verified_pct)],
                        title="Tỷ lệ điểm đạt theo trụ cột (% điểm tối đa)")
        data = Table(["Trụ cột", "Điểm tối đa", "Tự đánh giá (%)", "Kết quả đánh giá (%)"],
                     [[r.name, points(r.max), points(s), points(v)] for r, s, v in zip(pillars, self_pct, verified_pct,
                                                                                        strict=True)],
                     numeric={1, 2, 3}, widths=[4, 1.3, 1.5, 1.7])
        blocks.append(Heading("1. Tỷ lệ điểm đạt theo trụ cột"))
        blocks.append(Figure(svg, "Biểu đồ: tỷ lệ điểm đạt theo trụ cột (% điểm tối đa)", data))
        blocks.append(Heading("2. Điểm theo trụ cột và chỉ số"))
        rows = [[r.code, r.name, points(r.max), points(r.self_score), points(r.score)] for r in card.rows]
        headers = ["Mã", "Trụ cột / Chỉ số", "Điểm tối đa", "Tự đánh giá", "Kết quả đánh giá"]
        blocks.append(Table(headers, rows, numeric={2, 3, 4}, widths=[1.1, 4.2, 1.1, 1.1, 1.2],
                            strong={i for i, r in enumerate(card.rows) if r.depth == 0}))
    else:
        if card.maturity is not None:
            blocks.append(Paragraph(f"Mức độ đạt được: {card.maturity}"
                                    + (f" ({card.maturity_name})." if card.maturity_name else ".")))
        rows = [[r.code, r.name, "—" if r.self_level is None else str(r.self_level),
                 "—" if r.level is None else str(r.level)] for r in card.rows]
        blocks.append(Table(["Mã", "Trụ cột / Chỉ số", "Mức tự đánh giá", "Mức đánh giá"], rows, numeric={2, 3},
                            widths=[1.1, 4.6, 1.3, 1.3], strong={i for i, r in enumerate(card.rows) if r.depth == 0}))
    return blocks
