"""Scores of a campaign: every unit in one engine run (peer-relative rules need everybody).

"Tự đánh giá" = the values units reported; "Kết quả đánh giá" = verified values where
the reviewer adjusted them, reported values elsewhere.  A run is cached per campaign
under its ``scores_version`` (bumped by every service that changes data), so a
stale result is never served.  Processes share the database and, with Redis, the parsed data
of the latest run (shared.py), so a new worker re-reads only what changed since.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.cache import caches
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dti.campaigns.models import Campaign
from dti.collation import vietnamese_key
from dti.engine.compiled import CompiledFramework
from dti.engine.data import Dataset, copy_values
from dti.engine.data import Unit as EngineUnit
from dti.engine.explain import explain, holding_back
from dti.engine.scoring import STATUS_CODES, STATUS_LABELS, ScoreResult, score
from dti.methodologies.selectors import compiled_for
from dti.organisations.models import Level
from dti.submissions.models import State, Submission

from . import shared
from .loading import load_datasets, side_by_side, verified_records

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
        return str(State(self.state).label)


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


class RankGroup:
    """One ranking group: ranks computed with numpy; RankRow objects built only for what is shown."""

    def __init__(self, scores: CampaignScores, key: str, label: str, positions: np.ndarray,
                 pillars: list[tuple[str, str]]):
        self.scores, self.key, self.label, self.pillars = scores, key, label, pillars
        fw = scores.framework
        v, r = scores.verified, scores.reported
        ranked_by = scores.ranked_by
        self.rank = np.zeros(len(scores.units), dtype=np.int64)
        self.self_rank = np.zeros(len(scores.units), dtype=np.int64)
        self.published_rank = np.zeros(len(scores.units), dtype=np.int64)
        if ranked_by != "none":
            def keys(run):
                if ranked_by == "maturity":
                    return run.maturity.astype(float)
                return run.percent if ranked_by == "percent" else run.total
            self.rank[positions] = _competition_rank(keys(v)[positions])
            self.self_rank[positions] = _competition_rank(keys(r)[positions])
            # The official rank: among the units whose result is published (what the public sees).
            public = positions[scores.published[positions]]
            self.published_rank[public] = _competition_rank(keys(v)[public])
            rank = self.rank[positions].astype(float)
            rank[rank == 0] = np.inf
            order = np.lexsort((scores.code_order[positions], rank))
            self.order = scores.by_name_within_ties(positions[order], rank[order])
        else:
            self.order = scores.by_name_within_ties(positions, np.zeros(len(positions)))
        self._scored = fw.scored
        self._index = {int(p): i for i, p in enumerate(self.order)}

    def __len__(self) -> int:
        return len(self.order)

    @property
    def rows(self) -> _Rows:
        return _Rows(self)

    def seen_by(self, scope: ResultsScope) -> RankGroup:
        """This group as ``scope`` may see it: every unit with working ranks (the lead agency), or
        the units of the person's reviewing scope and the published ones, with official ranks."""
        if scope.full:
            return self
        seen = copy.copy(self)
        reviewed = np.array([self.scores.units[p].code in scope.reviewing for p in self.order], dtype=bool)
        # Before publication nothing is official: only the units the person reviews.
        allowed = reviewed | self.scores.published[self.order] if scope.campaign_published else reviewed
        seen.order = self.order[allowed]
        seen.rank = self.published_rank if scope.campaign_published else np.zeros_like(self.rank)
        seen.self_rank = np.zeros_like(self.self_rank)
        seen._index = {int(p): i for i, p in enumerate(seen.order)}
        return seen

    def row(self, position: int) -> RankRow:
        s, p = self.scores, int(position)
        v, r = s.verified, s.reported
        scored = self._scored
        pillars = [(_f(v.indicators[c].score[p]), _f(r.indicators[c].score[p]), _f(v.indicators[c].max[p]))
                   for c, _n in self.pillars]
        return RankRow(
            info=s.units[p], rank=int(self.rank[p]) or None,
            total=_f(v.total[p]) if scored else None, max=_f(v.max[p]) if scored else None,
            percent=_f(v.percent[p]) if scored else None,
            maturity=int(v.maturity[p]) if v.maturity is not None else None,
            self_rank=int(self.self_rank[p]) or None, self_total=_f(r.total[p]) if scored else None,
            self_percent=_f(r.percent[p]) if scored else None,
            self_maturity=int(r.maturity[p]) if r.maturity is not None else None,
            pillars=pillars,
        )

    def row_for(self, code: str) -> RankRow | None:
        position = self.scores.index.get(code)
        if position is None or position not in self._index:
            return None
        return self.row(position)


class _Rows:
    """A sequence view of a group's rows in rank order (for Paginator): rows built per slice."""

    def __init__(self, group: RankGroup):
        self.group = group

    def __len__(self) -> int:
        return len(self.group.order)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.group.row(p) for p in self.group.order[item]]
        return self.group.row(self.group.order[item])

    def __iter__(self):
        return (self.group.row(p) for p in self.group.order)


@dataclass
class CampaignScores:
    campaign_id: int
    version: int
    compiled: CompiledFramework
    units: list[UnitInfo]
    index: dict[str, int]
    reported: ScoreResult
    verified: ScoreResult
    previous_data: Dataset | None
    previous_campaign_id: int | None
    adjusted: set[str] = field(default_factory=set)  # units with at least one verified (adjusted) value
    previous_version: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def published(self) -> np.ndarray:
        """Per position: is the unit's result published."""
        return np.array([u.state == State.PUBLISHED for u in self.units], dtype=bool)

    @cached_property
    def code_order(self) -> np.ndarray:
        """Each position's rank in alphabetical order of unit codes (the last tie-break)."""
        order = np.empty(len(self.units), dtype=np.int64)
        order[np.argsort(np.array([u.code for u in self.units]), kind="stable")] = np.arange(len(self.units))
        return order

    def by_name_within_ties(self, ordered: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """``ordered`` positions (sorted by ``keys``) with each run of equal keys in Vietnamese
        alphabetical order of unit names, as people read a list: 'Sở Thông tin…' before 'Sở Tư pháp'.
        Only tied units are collated: a ranked campaign has few ties, so a cold read stays array work."""
        if len(ordered) < 2:
            return ordered
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1], True])
        out = ordered.copy()
        units = self.units
        for start, end in zip(starts[:-1], starts[1:]):
            if end - start > 1:
                run = ordered[start:end].tolist()
                out[start:end] = sorted(run, key=lambda p: (vietnamese_key(units[p].name), units[p].code))
        return out

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


@dataclass(frozen=True)
class ResultsScope:
    """Who sees which results of a campaign (the table in the README, "Who sees what").

    ``full``: the lead agency (system admin, the campaign's assessment admin, a reviewer of the
    whole campaign) sees every unit in every state, with working ranks.  Everybody else sees the
    units they review (``reviewing``) in every state and, once the campaign is published, the
    units whose result is published, with the official rank among published units only.
    """

    full: bool
    reviewing: frozenset[str]
    own: frozenset[str]
    campaign_published: bool

    def may_open_ranking(self) -> bool:
        return self.full or bool(self.reviewing) or self.campaign_published

    def sees_unit(self, code: str, state: str) -> bool:
        """Whether this unit's (working or published) results are visible."""
        return (self.full or code in self.reviewing or code in self.own
                or (self.campaign_published and state == State.PUBLISHED))


def results_scope(access, campaign: Campaign, campaign_roles: set[str]) -> ResultsScope:
    from dti.accounts.models import ADMINS, REVIEWERS, UNIT_ROLES, Role

    full = bool(campaign_roles & ADMINS) or any(
        g.role == Role.REVIEWER and g.campaign_id in (None, campaign.pk) and g.unit_id is None and not g.unit_ids
        for g in access.grants
    )

    def codes(roles) -> frozenset[str]:
        q = access.unit_filter("unit__", campaign_id=campaign.pk, roles=roles)
        subs = Submission.objects.filter(campaign=campaign)
        if q is not None:
            subs = subs.filter(q)
        return frozenset(subs.values_list("unit__code", flat=True))

    reviewing = frozenset() if full or not access.has_role(*REVIEWERS) else codes(REVIEWERS)
    own = frozenset() if full else codes(UNIT_ROLES)
    return ResultsScope(full, reviewing, own, campaign.is_published)


def _key(campaign_id: int, version: int) -> str:
    return f"dti:scores:{campaign_id}:{version}"


def campaign_version(campaign: Campaign) -> int:
    """The current ``scores_version`` from the database (another process may have bumped it)."""
    version = Campaign.objects.filter(pk=campaign.pk).values_list("scores_version", flat=True).first()
    return campaign.scores_version if version is None else version


def campaign_scores(campaign: Campaign, version: int | None = None) -> CampaignScores:
    """The campaign's cached run for its current ``scores_version`` (computed at most once per process).

    When this process holds an older run of the campaign, only the submissions changed
    since (``Submission.changed_version``) are re-read and re-parsed; the arrays are
    patched and both runs re-scored (a few milliseconds for thousands of units).
    """
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
            base = cache.get(_latest_key(campaign.pk))
            if base is None:  # a new process: another one may have left its run (shared.py)
                base = _from_snapshot(campaign, shared.load(campaign))
                if base is not None and base.version == version:
                    found = base
            rebuilt = False
            if found is None and base is not None and base.version < version:
                found = _update(campaign, base, version)
            if found is None:
                found = _compute(campaign, version)
                rebuilt = True
            if found is not base:
                shared.share(campaign, _snapshot(found), rebuilt=rebuilt)
            cache.set(key, found, None)
            latest = cache.get(_latest_key(campaign.pk))
            if latest is None or latest.version < found.version:
                cache.set(_latest_key(campaign.pk), found, None)
    return found


def _latest_key(campaign_id: int) -> str:
    return f"dti:scores:{campaign_id}:latest"


_SUB_FIELDS = ("id", "state", "unit__code", "unit__name", "unit__level_id", "unit__parent__code",
               "unit__ranking_group", "changed_version")


def _submissions(campaign_id: int) -> list[tuple]:
    return list(Submission.objects.filter(campaign_id=campaign_id).order_by("unit__path").values_list(*_SUB_FIELDS))


def _infos(subs) -> list[UnitInfo]:
    return [UnitInfo(position, code, name, level, group or level, state, sid, parent)
            for position, (sid, state, code, name, level, parent, group, _changed) in enumerate(subs)]


def _previous_version(campaign: Campaign) -> int:
    if not campaign.previous_id:
        return 0
    return Campaign.objects.filter(pk=campaign.previous_id).values_list("scores_version", flat=True).first() or 0


def _compute(campaign: Campaign, version: int) -> CampaignScores:
    compiled = compiled_for(campaign.framework, campaign.readings)
    subs = _submissions(campaign.pk)
    infos = _infos(subs)
    units = [EngineUnit(id=i.code, name=i.name, level=i.level, parent=i.parent) for i in infos]

    def current():
        # Stored numbers straight into arrays (results/loading.py): no parsing of what was parsed at save.
        return load_datasets(compiled, units, [i.submission_id for i in infos], campaign_id=campaign.pk)

    def earlier():
        prev_subs = Submission.objects.filter(campaign_id=campaign.previous_id).values_list(
            "id", "unit__code", "unit__name", "unit__level_id", "unit__parent__code"
        )
        prev_units, prev_ids = [], []
        for sid, code, name, level, parent in prev_subs:
            prev_units.append(EngineUnit(id=code, name=name, level=level, parent=parent))
            prev_ids.append(sid)
        # The previous campaign's final values: verified where adjusted, reported elsewhere.
        return load_datasets(compiled, prev_units, prev_ids, campaign_id=campaign.previous_id)[1]

    previous = None
    if campaign.previous_id:
        (reported, verified, adjusted), previous = side_by_side(current, earlier)
    else:
        reported, verified, adjusted = current()
    year = campaign.year
    return CampaignScores(
        campaign_id=campaign.pk,
        version=version,
        compiled=compiled,
        units=infos,
        index={u.code: u.position for u in infos},
        reported=score(compiled, reported, previous, year=year),
        verified=score(compiled, verified, previous, year=year, recognised=_recognised(campaign, compiled)),
        previous_data=previous,
        previous_campaign_id=campaign.previous_id,
        adjusted=adjusted,
        previous_version=_previous_version(campaign),
    )


def _snapshot(scores: CampaignScores) -> shared.Snapshot:
    return shared.Snapshot(version=scores.version, units=scores.units, reported=scores.reported.data,
                           verified=scores.verified.data, previous=scores.previous_data,
                           previous_version=scores.previous_version, adjusted=scores.adjusted)


def _from_snapshot(campaign: Campaign, snapshot: shared.Snapshot | None) -> CampaignScores | None:
    """A run scored from parsed data another process shared (milliseconds: no value is read)."""
    if snapshot is None:
        return None
    compiled = compiled_for(campaign.framework, campaign.readings)
    year = campaign.year
    return CampaignScores(
        campaign_id=campaign.pk,
        version=snapshot.version,
        compiled=compiled,
        units=snapshot.units,
        index={u.code: u.position for u in snapshot.units},
        reported=score(compiled, snapshot.reported, snapshot.previous, year=year),
        verified=score(compiled, snapshot.verified, snapshot.previous, year=year),
        previous_data=snapshot.previous,
        previous_campaign_id=campaign.previous_id,
        adjusted=set(snapshot.adjusted),
        previous_version=snapshot.previous_version,
    )


def _patch(data: Dataset, positions: np.ndarray, codes: set[str], part: Dataset) -> Dataset:
    """``data`` with the rows at ``positions`` replaced by ``part`` (same units, in that order)."""
    values = copy_values(data.values)  # one matrix stays one matrix: scoring reads it in place
    for name, row in values.items():
        row[positions] = part.values[name]
    statuses = {}
    for code in set(data.statuses) | set(part.statuses):
        old = data.statuses.get(code)
        status = np.zeros(len(data.units), dtype=np.int8) if old is None else old.copy()
        new = part.statuses.get(code)
        status[positions] = 0 if new is None else new
        statuses[code] = status
    texts: dict[str, list[str | None]] = {}
    for name, shown in data.texts.items():
        text = list(shown)
        for index, position in enumerate(positions):
            text[position] = part.texts[name][index]
        texts[name] = text
    problems = [p for p in data.problems if p.unit not in codes] + list(part.problems)
    return Dataset(units=data.units, values=values, statuses=statuses, texts=texts, problems=problems)


def _update(campaign: Campaign, base: CampaignScores, version: int) -> CampaignScores | None:
    """``base`` brought to ``version`` by re-reading only the changed submissions; None = rebuild."""
    if Submission.objects.filter(campaign_id=campaign.pk).count() != len(base.units):
        return None  # units joined or left
    if _previous_version(campaign) != base.previous_version:
        return None
    if base.compiled is not compiled_for(campaign.framework, campaign.readings):
        return None  # the campaign chose other readings
    rows = list(Submission.objects.filter(campaign_id=campaign.pk, changed_version__gt=base.version)
                .values_list(*_SUB_FIELDS))
    if len(rows) > max(50, len(base.units) // 4):
        return None  # cheaper to rebuild
    infos = list(base.units)
    changed = []
    for sid, state, code, name, level, parent, group, _changed in rows:
        position = base.index.get(code)
        if position is None or infos[position].submission_id != sid:
            return None
        if (infos[position].level, infos[position].parent) != (level, parent):
            return None  # a unit moved in the tree or changed level: its peers and roll-ups change
        infos[position] = UnitInfo(position, code, name, level, group or level, state, sid, parent)
        changed.append(position)
    changed.sort()
    compiled = base.compiled
    positions = np.array(changed, dtype=np.int64)
    codes = {infos[i].submission_id: infos[i].code for i in changed}
    units = [base.reported.data.units[i] for i in changed]
    changed_codes = set(codes.values())
    part_reported, part_verified, adjusted_now = load_datasets(compiled, units, list(codes), only_these=True)
    assert part_verified is not None  # asked for (verified=True)
    reported = _patch(base.reported.data, positions, changed_codes, part_reported)
    verified = _patch(base.verified.data, positions, changed_codes, part_verified)
    year = campaign.year
    return CampaignScores(
        campaign_id=campaign.pk,
        version=version,
        compiled=compiled,
        units=infos,
        index=base.index,
        reported=score(compiled, reported, base.previous_data, year=year),
        verified=score(compiled, verified, base.previous_data, year=year,
                       recognised=_recognised(campaign, compiled)),
        previous_data=base.previous_data,
        previous_campaign_id=base.previous_campaign_id,
        adjusted=(base.adjusted - changed_codes) | adjusted_now,
        previous_version=base.previous_version,
    )


def _recognised(campaign: Campaign, compiled) -> dict[str, int]:
    """Levels an appraisal council concluded (dti.recognition): the unit's verified result, and what a
    district's general criterion counts its communes at (a conclusion bumps the scores version)."""
    if not compiled.framework.maturity_levels:
        return {}
    from dti.recognition.selectors import recognised_levels

    return recognised_levels(campaign.pk)


def _f(value) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def _competition_rank(keys: np.ndarray) -> np.ndarray:
    """Highest first, ties share a rank (1, 2, 2, 4); 0 where there is no value."""
    values = np.round(np.asarray(keys, dtype=float), 9)
    valid = np.isfinite(values)
    ranks = np.zeros(len(values), dtype=np.int64)
    ordered = np.sort(-values[valid])
    ranks[valid] = np.searchsorted(ordered, -values[valid], side="left") + 1
    return ranks


def _rank_groups(scores: CampaignScores) -> list[RankGroup]:
    fw = scores.framework
    level_names = dict(Level.objects.values_list("code", "name"))
    fw_level_names = {lv.code: lv.name for lv in fw.levels}
    by_group: dict[str, list[int]] = {}
    levels_of: dict[str, set[str]] = {}
    for info in scores.units:
        by_group.setdefault(info.group, []).append(info.position)
        levels_of.setdefault(info.group, set()).add(info.level)
    groups = []
    for key, positions in by_group.items():
        levels = levels_of[key]
        pillars = [(r.code, r.indicator.name) for r in scores.compiled.roots if levels & set(r.levels)]
        label = key if key not in levels else level_names.get(key) or fw_level_names.get(key) or key
        groups.append(RankGroup(scores, key, label, np.array(positions, dtype=np.int64), pillars))
    return groups


# The engine's status words (dti/engine/arrays.STATUS_LABELS) as the web shows them, translated.
_STATUS_WORDS = {
    "ok": gettext_lazy("Đã chấm"),
    "no_data": gettext_lazy("Không có dữ liệu"),
    "no_content": gettext_lazy("Không có nội dung"),
    "exempt": gettext_lazy("Miễn đánh giá"),
    "not_applicable": gettext_lazy("Không áp dụng"),
    "invalid": gettext_lazy("Dữ liệu không hợp lệ"),
    "value_only": gettext_lazy("Chỉ theo dõi"),
}


def status_label(status: str) -> str:
    return str(_STATUS_WORDS[status]) if status in _STATUS_WORDS else STATUS_LABELS.get(status, status)


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
    printed: str = ""  # the code as the document prints it ('I.1' for 'xa.I.1')
    holds_back: bool = False  # a maturity criterion not met at the unit's next level


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
    next_level: int | None = None  # maturity: the level above the unit's
    next_level_name: str = ""
    holding: list[tuple[str, str]] = field(default_factory=list)  # (printed code, name) of what holds it back
    recognised: int | None = None  # the level the appraisal council concluded (dti.recognition)
    recognised_published: bool = False  # …and recognised by an issued decision


def scorecard(campaign: Campaign, unit_code: str, *, with_previous: bool = True, full: bool = True) -> Scorecard | None:
    """One unit's scorecard; ``full`` = False gives the official rank (among published units) or none."""
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
    lang = get_language()
    next_level, holding_codes = holding_back(v, position)
    holding = set(holding_codes)
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
        ex_v = explain(v, node.code, position, lang, labels=True)
        # The self-assessment explanation differs only where values were adjusted (this unit's, or its
        # peers' for relative rules) or the score changed; otherwise it is the same text.
        rule_kind = getattr(indicator.rule, "kind", None)
        differs = (unit_code in scores.adjusted or (scores.adjusted and rule_kind in ("relative", "growth"))
                   or _f(vi.score[position]) != _f(ri.score[position]) or vi.status[position] != ri.status[position])
        ex_r = explain(r, node.code, position, lang, labels=True) if differs else ex_v
        prev_score = None
        if previous is not None and prev_pos is not None and node.code in previous.verified.indicators:
            prev_score = _f(previous.verified.indicators[node.code].score[prev_pos])
        level = int(vi.detail["level"][position]) if "level" in vi.detail else None
        self_level = int(ri.detail["level"][position]) if "level" in ri.detail else None
        rows.append(CardRow(
            code=node.code, name=indicator.name, depth=depth, is_leaf=node.is_leaf,
            max=mx if fw.scored else None, score=sc if fw.scored else None,
            self_score=_f(ri.score[position]) if fw.scored else None,
            lost=(mx - sc) if (fw.scored and mx is not None and sc is not None) else None,
            status=status, status_label=status_label(status), explain=ex_v,
            self_explain=ex_r if ex_r != ex_v else None, previous_score=prev_score, level=level, self_level=self_level,
            printed=scores.compiled.printed(node.code), holds_back=node.code in holding,
        ))
    group = next((g for g in scores.groups if g.key == info.group), None)
    if group is not None and not full:
        group = group.seen_by(ResultsScope(False, frozenset(), frozenset(), campaign.is_published))
    row = group.row_for(unit_code) if group else None
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
        previous_total=_f(previous.verified.total[prev_pos]) if previous and prev_pos is not None and fw.scored else None,
        previous_percent=(_f(previous.verified.percent[prev_pos]) if previous and prev_pos is not None and fw.scored
                          else None),
        previous_maturity=(int(previous.verified.maturity[prev_pos])
                           if previous and prev_pos is not None and previous.verified.maturity is not None else None),
        group=group, problems=problems, self_problems=[p for p in r.problems if p.unit == unit_code], scored=fw.scored,
        next_level=next_level, next_level_name=names.get(next_level, "") if next_level else "",
        holding=[(scores.compiled.printed(c), scores.compiled.nodes[c].indicator.name) for c in holding_codes],
        **_recognition(campaign, unit_code) if fw.maturity_levels else {},
    )


def _recognition(campaign: Campaign, unit_code: str) -> dict:
    from dti.recognition.selectors import published_levels, recognised_levels

    level = recognised_levels(campaign.pk).get(unit_code)
    return {"recognised": level, "recognised_published": level is not None
            and unit_code in published_levels(campaign)}


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

    lang = get_language()
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
        number, error = validate_raw(spec, text, lang)
        if error:
            errors[name] = error
        if spec.type == "text":
            typed = list(texts.get(name, [None] * len(base.units)))
            typed[position] = text or None
            texts[name] = typed
            continue
        numbers = values[name].copy()
        numbers[position] = np.nan if number is None else number
        values[name] = numbers
    old = statuses.get(code)
    status_column = np.zeros(len(base.units), dtype=np.int8) if old is None else old.copy()
    status_column[position] = {"no_content": 1, "exempt": 2}.get(status, 0)
    statuses[code] = status_column
    data = Dataset(units=base.units, values=values, statuses=statuses, texts=texts, problems=[])
    result = score(scores.compiled, data, scores.previous_data, year=scores.reported.year)
    outcome = result.indicators[code]
    status_code = STATUS_CODES[outcome.status[position]]
    scored = scores.framework.scored
    problems = [p.text(lang) for p in result.problems if p.unit == unit_code and p.indicator == code and p.field not in errors]
    return Preview(
        code=code,
        score=_f(outcome.score[position]) if scored else None,
        max=_f(outcome.max[position]) if scored else None,
        status=status_code,
        status_label=status_label(status_code),
        explain=explain(result, code, position, lang, labels=True),
        errors=errors,
        problems=problems,
        total=_f(result.total[position]) if scored else None,
        total_max=_f(result.max[position]) if scored else None,
        level=int(outcome.detail["level"][position]) if "level" in outcome.detail else None,
        scored=scored,
    )


# --------------------------------------------------------------------------- readings


def readings_used(campaign: Campaign) -> dict[str, str]:
    """Indicator code → the label of the reading the campaign scores it by (only indicators whose
    document reads two ways)."""
    from dti.engine.readings import declared_readings

    compiled = compiled_for(campaign.framework, campaign.readings)
    declared = declared_readings(compiled.written)
    return {code: next(r.label for r in declared[code] if r.name == name) for code, name in compiled.readings.items()}


def campaign_sensitivity(campaign: Campaign) -> dict:
    """How far each unit's rank moves when the campaign's readings are swapped for the others
    (dti.engine.sensitivity over the verified data); cached per scores version."""
    from dti.engine.sensitivity import sensitivity

    version = campaign_version(campaign)
    cache = caches["scores"]
    key = f"dti:sensitivity:{campaign.pk}:{version}"
    found = cache.get(key)
    if found is not None:
        return found
    compiled = compiled_for(campaign.framework, campaign.readings)
    infos = _infos(_submissions(campaign.pk))
    units = [EngineUnit(id=i.code, name=i.name, level=i.level, parent=i.parent) for i in infos]
    verified = verified_records(campaign.pk, {i.submission_id: i.code for i in infos})
    report = sensitivity(compiled.written, units, verified, year=campaign.year, choices=campaign.readings,
                         vietnamese=True)
    names = {i.code: i.name for i in infos}
    for unit in report["units"]:
        unit["name"] = names.get(unit["unit"], unit["unit"])
    cache.set(key, report, None)
    return report


# Said instead of a peer-relative indicator's explanation to viewers outside the lead agency.
PEERS_HIDDEN = gettext_lazy("Chấm so với các đơn vị cùng nhóm (giá trị của đơn vị khác không được công khai).")


def peer_relative_codes(campaign) -> set[str]:
    """The indicators scored against the other units of the group (their explanation names the
    group's best and worst values, which may be another unit's unpublished figures)."""
    nodes = compiled_for(campaign.framework, campaign.readings).nodes  # the framework alone: no scoring run
    return {code for code, node in nodes.items() if getattr(node.indicator.rule, "kind", None) == "relative"}
