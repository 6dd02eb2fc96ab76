"""Scores of a campaign: every unit in one engine run (peer-relative rules need everybody).

"Tự đánh giá" = the values units reported; "Kết quả đánh giá" = verified values where
the reviewer adjusted them, reported values elsewhere.  A run is cached per campaign
under its ``scores_version`` (bumped by every service that changes data), so a
stale result is never served and processes share nothing but the database.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.cache import caches
from django.utils.translation import gettext as _

from dti.campaigns.models import Campaign
from dti.engine.data import Dataset, build_dataset
from dti.engine.data import Unit as EngineUnit
from dti.engine.explain import explain
from dti.engine.scoring import STATUS_CODES, STATUS_LABELS, ScoreResult, score
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Level
from dti.submissions.models import State, Submission, Value

_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass
class UnitInfo:
    position: int
    code: str
    name: str
    level: str
    group: str
    state: str
    submission_id: int
    parent: str | None

    @property
    def state_label(self) -> str:
        return State(self.state).label


@dataclass
class RankRow:
    info: UnitInfo
    rank: int | None
    total: float | None
    max: float | None
    percent: float | None
    maturity: int | None
    self_rank: int | None
    self_total: float | None
    self_percent: float | None
    self_maturity: int | None
    pillars: list[tuple[float | None, float | None, float | None]]  # (verified, self, max)


@dataclass
class RankGroup:
    key: str
    label: str
    pillars: list[tuple[str, str]]  # (code, name)
    rows: list[RankRow]

    @cached_property
    def by_code(self) -> dict[str, RankRow]:
        return {row.info.code: row for row in self.rows}


@dataclass
class CampaignScores:
    campaign_id: int
    version: int
    compiled: object
    units: list[UnitInfo]
    index: dict[str, int]
    reported: ScoreResult
    verified: ScoreResult
    previous_data: Dataset | None
    previous_campaign_id: int | None
    adjusted: set[str] = field(default_factory=set)  # units with at least one verified (adjusted) value
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def framework(self):
        return self.compiled.framework

    @property
    def ranked_by(self) -> str:
        fw = self.framework
        if fw.scored:
            return "percent" if fw.policies.rescale else "total"
        return "maturity" if fw.maturity_levels else "none"

    @cached_property
    def groups(self) -> list[RankGroup]:
        with self._lock:
            return _rank_groups(self)

    def group(self, key: str) -> RankGroup | None:
        return next((g for g in self.groups if g.key == key), None)


def _key(campaign_id: int, version: int) -> str:
    return f"dti:scores:{campaign_id}:{version}"


def campaign_version(campaign: Campaign) -> int:
    """The current ``scores_version`` from the database (another process may have bumped it)."""
    version = Campaign.objects.filter(pk=campaign.pk).values_list("scores_version", flat=True).first()
    return campaign.scores_version if version is None else version


def campaign_scores(campaign: Campaign, version: int | None = None) -> CampaignScores:
    """The campaign's cached run for its current ``scores_version`` (computed at most once per process)."""
    if version is None:
        version = campaign_version(campaign)
    cache = caches["scores"]
    key = _key(campaign.pk, version)
    found = cache.get(key)
    if found is not None:
        return found
    with _locks_guard:
        lock = _locks.setdefault(campaign.pk, threading.Lock())
    with lock:
        found = cache.get(key)
        if found is None:
            found = _compute(campaign, version)
            cache.set(key, found, None)
    return found


def _records(campaign_id: int, compiled, *, verified: bool, codes: dict[int, str], adjusted: set | None = None):
    known = compiled.fields
    rows = Value.objects.filter(submission__campaign_id=campaign_id).values_list("submission_id", "field", "raw", "verified_raw")
    reported, checked = [], []
    for submission_id, name, raw, verified_raw in rows:
        code = codes.get(submission_id)
        if code is None:
            continue
        if name not in known and not (name.endswith(".status") and name[:-7] in compiled.nodes):
            continue
        reported.append((code, name, raw))
        if verified_raw is None:
            checked.append((code, name, raw))
        else:
            checked.append((code, name, verified_raw))
            if adjusted is not None:
                adjusted.add(code)
    return reported, checked


def _compute(campaign: Campaign, version: int) -> CampaignScores:
    compiled = compiled_for(campaign.framework)
    subs = Submission.objects.filter(campaign_id=campaign.pk).order_by("unit__path").values_list(
        "id", "state", "unit__code", "unit__name", "unit__level_id", "unit__parent__code", "unit__ranking_group"
    )
    infos, units, codes = [], [], {}
    for position, (sid, state, code, name, level, parent, group) in enumerate(subs):
        infos.append(UnitInfo(position, code, name, level, group or level, state, sid, parent))
        units.append(EngineUnit(id=code, name=name, level=level, parent=parent))
        codes[sid] = code
    adjusted: set[str] = set()
    reported_records, verified_records = _records(campaign.pk, compiled, verified=True, codes=codes, adjusted=adjusted)
    reported = build_dataset(compiled, units, reported_records, vietnamese=True)
    verified = build_dataset(compiled, units, verified_records, vietnamese=True)
    previous = None
    if campaign.previous_id:
        prev_subs = Submission.objects.filter(campaign_id=campaign.previous_id).values_list(
            "id", "unit__code", "unit__name", "unit__level_id", "unit__parent__code"
        )
        prev_units, prev_codes = [], {}
        for sid, code, name, level, parent in prev_subs:
            prev_units.append(EngineUnit(id=code, name=name, level=level, parent=parent))
            prev_codes[sid] = code
        _r, prev_records = _records(campaign.previous_id, compiled, verified=True, codes=prev_codes)
        previous = build_dataset(compiled, prev_units, prev_records, vietnamese=True)
    year = campaign.year
    return CampaignScores(
        campaign_id=campaign.pk,
        version=version,
        compiled=compiled,
        units=infos,
        index={u.code: u.position for u in infos},
        reported=score(compiled, reported, previous, year=year),
        verified=score(compiled, verified, previous, year=year),
        previous_data=previous,
        previous_campaign_id=campaign.previous_id,
        adjusted=adjusted,
    )


def _f(value) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def _competition_rank(keys: list[float | None]) -> list[int | None]:
    ordered = sorted((round(k, 9) for k in keys if k is not None), reverse=True)
    first = {}
    for index, k in enumerate(ordered):
        first.setdefault(k, index + 1)
    return [first[round(k, 9)] if k is not None else None for k in keys]


def _rank_groups(scores: CampaignScores) -> list[RankGroup]:
    fw = scores.framework
    level_names = dict(Level.objects.values_list("code", "name"))
    fw_level_names = {lv.code: lv.name for lv in fw.levels}
    by_group: dict[str, list[UnitInfo]] = {}
    for info in scores.units:
        by_group.setdefault(info.group, []).append(info)
    groups = []
    ranked_by = scores.ranked_by
    for key, members in by_group.items():
        levels = {m.level for m in members}
        pillars = [(r.code, r.indicator.name) for r in scores.compiled.roots if levels & set(r.levels)]
        rows = []
        for info in members:
            p = info.position
            v, r = scores.verified, scores.reported
            pillar_cells = []
            for code, _name in pillars:
                pillar_cells.append((_f(v.indicators[code].score[p]), _f(r.indicators[code].score[p]),
                                     _f(v.indicators[code].max[p])))
            rows.append(RankRow(
                info=info,
                rank=None, total=_f(v.total[p]) if fw.scored else None, max=_f(v.max[p]) if fw.scored else None,
                percent=_f(v.percent[p]) if fw.scored else None,
                maturity=int(v.maturity[p]) if v.maturity is not None else None,
                self_rank=None, self_total=_f(r.total[p]) if fw.scored else None,
                self_percent=_f(r.percent[p]) if fw.scored else None,
                self_maturity=int(r.maturity[p]) if r.maturity is not None else None,
                pillars=pillar_cells,
            ))
        if ranked_by != "none":
            attr = {"percent": "percent", "total": "total", "maturity": "maturity"}[ranked_by]
            for row, rank in zip(rows, _competition_rank([getattr(x, attr) for x in rows])):
                row.rank = rank
            for row, rank in zip(rows, _competition_rank([getattr(x, "self_" + attr) for x in rows])):
                row.self_rank = rank
            rows.sort(key=lambda x: (x.rank is None, x.rank or 0, x.info.code))
        label = key if key not in levels else level_names.get(key) or fw_level_names.get(key) or key
        groups.append(RankGroup(key, label, pillars, rows))
    return groups


# --------------------------------------------------------------------------- scorecard


@dataclass
class CardRow:
    code: str
    name: str
    depth: int
    is_leaf: bool
    max: float | None
    score: float | None
    self_score: float | None
    lost: float | None
    status: str
    status_label: str
    explain: str
    self_explain: str | None
    previous_score: float | None
    level: int | None
    self_level: int | None


@dataclass
class Scorecard:
    info: UnitInfo
    rows: list[CardRow]
    total: float | None
    max: float | None
    percent: float | None
    rank: int | None
    self_total: float | None
    self_percent: float | None
    self_rank: int | None
    maturity: int | None
    self_maturity: int | None
    maturity_name: str | None
    previous_total: float | None
    previous_percent: float | None
    previous_maturity: int | None
    group: RankGroup | None
    problems: list
    self_problems: list
    scored: bool


def scorecard(campaign: Campaign, unit_code: str, *, with_previous: bool = True) -> Scorecard | None:
    scores = campaign_scores(campaign)
    position = scores.index.get(unit_code)
    if position is None:
        return None
    info = scores.units[position]
    fw = scores.framework
    v, r = scores.verified, scores.reported
    previous = None
    if scores.previous_campaign_id and with_previous:
        prev_campaign = (Campaign.objects.filter(pk=scores.previous_campaign_id).select_related("framework")
                         .defer("framework__yaml_text").first())
        if prev_campaign is not None:
            previous = campaign_scores(prev_campaign)
    prev_pos = previous.index.get(unit_code) if previous else None
    rows = []
    depth_of: dict[str, int] = {}
    for indicator, parent in fw.walk():
        depth = depth_of.get(parent.code, -1) + 1 if parent is not None else 0
        depth_of[indicator.code] = depth
        node = scores.compiled.nodes[indicator.code]
        if info.level not in node.levels:
            continue
        vi, ri = v.indicators[node.code], r.indicators[node.code]
        status = STATUS_CODES[vi.status[position]]
        sc, mx = _f(vi.score[position]), _f(vi.max[position])
        ex_v = explain(v, node.code, position)
        # The self-assessment explanation differs only where values were adjusted (this unit's, or its
        # peers' for relative rules) or the score changed; otherwise it is the same text.
        rule_kind = getattr(indicator.rule, "kind", None)
        differs = (unit_code in scores.adjusted or (scores.adjusted and rule_kind in ("relative", "growth"))
                   or _f(vi.score[position]) != _f(ri.score[position]) or vi.status[position] != ri.status[position])
        ex_r = explain(r, node.code, position) if differs else ex_v
        prev_score = None
        if prev_pos is not None and node.code in previous.verified.indicators:
            prev_score = _f(previous.verified.indicators[node.code].score[prev_pos])
        level = int(vi.detail["level"][position]) if "level" in vi.detail else None
        self_level = int(ri.detail["level"][position]) if "level" in ri.detail else None
        rows.append(CardRow(
            code=node.code, name=indicator.name, depth=depth, is_leaf=node.is_leaf,
            max=mx if fw.scored else None, score=sc if fw.scored else None,
            self_score=_f(ri.score[position]) if fw.scored else None,
            lost=(mx - sc) if (fw.scored and mx is not None and sc is not None) else None,
            status=status, status_label=STATUS_LABELS.get(status, status), explain=ex_v,
            self_explain=ex_r if ex_r != ex_v else None, previous_score=prev_score, level=level, self_level=self_level,
        ))
    group = next((g for g in scores.groups if g.key == info.group), None)
    row = group.by_code.get(unit_code) if group else None
    maturity = int(v.maturity[position]) if v.maturity is not None else None
    names = {m.level: m.name for m in (fw.maturity_levels or [])}
    problems = [p for p in v.problems if p.unit == unit_code]
    return Scorecard(
        info=info, rows=rows,
        total=_f(v.total[position]) if fw.scored else None, max=_f(v.max[position]) if fw.scored else None,
        percent=_f(v.percent[position]) if fw.scored else None, rank=row.rank if row else None,
        self_total=_f(r.total[position]) if fw.scored else None,
        self_percent=_f(r.percent[position]) if fw.scored else None, self_rank=row.self_rank if row else None,
        maturity=maturity, self_maturity=int(r.maturity[position]) if r.maturity is not None else None,
        maturity_name=names.get(maturity) if maturity else (_("Chưa đạt mức 1") if maturity == 0 else None),
        previous_total=_f(previous.verified.total[prev_pos]) if prev_pos is not None and fw.scored else None,
        previous_percent=_f(previous.verified.percent[prev_pos]) if prev_pos is not None and fw.scored else None,
        previous_maturity=int(previous.verified.maturity[prev_pos]) if prev_pos is not None and previous.verified.maturity is not None else None,
        group=group, problems=problems, self_problems=[p for p in r.problems if p.unit == unit_code], scored=fw.scored,
    )


# --------------------------------------------------------------------------- live preview


@dataclass
class Preview:
    code: str
    score: float | None
    max: float | None
    status: str
    status_label: str
    explain: str
    errors: dict[str, str]
    problems: list[str]
    total: float | None
    total_max: float | None
    level: int | None
    scored: bool


def preview_indicator(campaign: Campaign, unit_code: str, code: str, raw: dict[str, str], status: str = "") -> Preview | None:
    """Score one indicator of one unit with what is typed now, against everyone's saved data."""
    from dti.submissions.services import validate_raw

    scores = campaign_scores(campaign)
    position = scores.index.get(unit_code)
    node = scores.compiled.nodes.get(code)
    if position is None or node is None or not node.is_leaf:
        return None
    base = scores.reported.data
    values = dict(base.values)
    texts = dict(base.texts)
    statuses = dict(base.statuses)
    errors = {}
    names = [node.field_name(i.var) for i in node.indicator.inputs]
    for name in names:
        spec = scores.compiled.fields[name]
        text = (raw.get(name) or "").strip()
        number, error = validate_raw(spec, text)
        if error:
            errors[name] = error
        if spec.type == "text":
            column = list(texts.get(name, [None] * len(base.units)))
            column[position] = text or None
            texts[name] = column
            continue
        column = values[name].copy()
        column[position] = np.nan if number is None else number
        values[name] = column
    column = statuses.get(code)
    column = np.zeros(len(base.units), dtype=np.int8) if column is None else column.copy()
    column[position] = {"no_content": 1, "exempt": 2}.get(status, 0)
    statuses[code] = column
    data = Dataset(units=base.units, values=values, statuses=statuses, texts=texts, problems=[])
    result = score(scores.compiled, data, scores.previous_data, year=scores.reported.year)
    outcome = result.indicators[code]
    status_code = STATUS_CODES[outcome.status[position]]
    scored = scores.framework.scored
    problems = [p.message for p in result.problems if p.unit == unit_code and p.indicator == code and p.field not in errors]
    return Preview(
        code=code,
        score=_f(outcome.score[position]) if scored else None,
        max=_f(outcome.max[position]) if scored else None,
        status=status_code,
        status_label=STATUS_LABELS.get(status_code, status_code),
        explain=explain(result, code, position),
        errors=errors,
        problems=problems,
        total=_f(result.total[position]) if scored else None,
        total_max=_f(result.max[position]) if scored else None,
        level=int(outcome.detail["level"][position]) if "level" in outcome.detail else None,
        scored=scored,
    )
