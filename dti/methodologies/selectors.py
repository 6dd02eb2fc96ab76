"""Reading framework versions: compiled once per process (keyed by the YAML's hash)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from dti.engine import compile_framework, load_framework
from dti.engine.compiled import CompiledFramework, FieldSpec, Node

from .models import FrameworkVersion

_compiled: OrderedDict[tuple, CompiledFramework] = OrderedDict()
_layouts: dict[tuple[str, str], FormLayout] = {}
_lock = threading.Lock()


def compiled_for(framework: FrameworkVersion, readings: dict[str, str] | None = None) -> CompiledFramework:
    """The version compiled once per process; ``readings`` (code → reading name) for a campaign
    that chose readings other than the defaults."""
    key = (framework.sha256, tuple(sorted((readings or {}).items())))
    with _lock:
        found = _compiled.get(key)
        if found is not None:
            _compiled.move_to_end(key)
            return found
    compiled = compile_framework(load_framework(framework.yaml_text), readings or None)
    with _lock:
        _compiled[key] = compiled
        while len(_compiled) > 32:
            _compiled.popitem(last=False)
    return compiled


@dataclass
class LeafEntry:
    node: Node
    fields: list[FieldSpec]
    max_points: float | None
    computed: bool  # no inputs: computed from other units (maturity children criteria)
    printed: str = ""  # the code as the document prints it ('I.1' for 'xa.I.1')

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def indicator(self):
        return self.node.indicator


@dataclass
class Section:
    """A heading (parent indicator) or a leaf, in document order, for one level."""

    node: Node
    depth: int
    max_points: float | None
    leaf: LeafEntry | None = None
    printed: str = ""  # the code as the document prints it


@dataclass
class FormLayout:
    level: str
    general: list[tuple[str, list[FieldSpec]]]  # (group, fields)
    sections: list[Section]
    leaves: list[LeafEntry]
    field_names: set[str] = field(default_factory=set)
    leaf_by_code: dict[str, LeafEntry] = field(default_factory=dict)

    @property
    def evidence_leaves(self) -> list[LeafEntry]:
        return [leaf for leaf in self.leaves if leaf.indicator.evidence]


def _node_max(compiled: CompiledFramework, code: str, level: str) -> float | None:
    node = compiled.nodes[code]
    if level not in node.levels:
        return None
    if node.is_leaf:
        rule = node.indicator.rule
        if rule is None or rule.kind == "kpi" or not compiled.framework.scored:
            return None
        return node.max_by_level.get(level)
    maxima = [_node_max(compiled, c, level) for c in node.children]
    values = [v for v in maxima if v is not None]
    return sum(values) if values else None


def form_layout(framework: FrameworkVersion, level: str) -> FormLayout:
    key = (framework.sha256, level)
    found = _layouts.get(key)
    if found is not None:
        return found
    compiled = compiled_for(framework)
    general: list[tuple[str, list[FieldSpec]]] = []
    for spec in compiled.fields.values():
        if spec.indicator is not None or level not in spec.levels:
            continue
        group = getattr(spec.spec, "group", None) or ""
        if general and general[-1][0] == group:
            general[-1][1].append(spec)
        else:
            general.append((group, [spec]))
    sections: list[Section] = []
    leaves: list[LeafEntry] = []
    depth_of: dict[str, int] = {}
    for indicator, parent in compiled.framework.walk():
        node = compiled.nodes[indicator.code]
        depth = depth_of.get(parent.code, -1) + 1 if parent is not None else 0
        depth_of[indicator.code] = depth
        if level not in node.levels:
            continue
        maximum = _node_max(compiled, node.code, level)
        if node.is_leaf:
            fields = [compiled.fields[f"{node.code}.{i.var}"] for i in indicator.inputs]
            entry = LeafEntry(node, fields, maximum, computed=not fields, printed=compiled.printed(node.code))
            leaves.append(entry)
            sections.append(Section(node, depth, maximum, entry, printed=entry.printed))
        else:
            sections.append(Section(node, depth, maximum, printed=compiled.printed(node.code)))
    layout = FormLayout(level, general, sections, leaves)
    layout.field_names = {s.name for _, group in general for s in group} | {s.name for leaf in leaves for s in leaf.fields}
    layout.leaf_by_code = {leaf.code: leaf for leaf in leaves}
    with _lock:
        _layouts[key] = layout
    return layout


def versions():
    return FrameworkVersion.objects.order_by("code", "-revision")


def latest_versions():
    latest = {}
    for fv in versions():
        latest.setdefault(fv.code, fv)
    return list(latest.values())


def has_inferences(framework) -> bool:
    """Whether the transcription adds anything the document does not state (shown as 'suy luận')."""
    return any(node.code_origin is not None or any(c.inferred for c in node.constraints)
               for node, _ in framework.walk())
