"""Reading a campaign from the stored numbers gives the same datasets as parsing every raw text."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from dti.engine.data import Unit as EngineUnit
from dti.engine.data import build_dataset

FRAMEWORKS = Path(__file__).resolve().parents[2] / "dti" / "frameworks"


@pytest.fixture
def hcm_campaign(db, units, today):
    """HCM QĐ 79 (Sở) for the three test Sở, with general information given as text."""
    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version

    framework = create_version((FRAMEWORKS / "hcm-79-so.yaml").read_text(encoding="utf-8"))
    return create_campaign(name="HCM", framework=framework, year=2025, period_start=dt.date(2025, 1, 1),
                           period_end=dt.date(2025, 12, 31), entry_deadline=today + dt.timedelta(days=5),
                           review_deadline=today + dt.timedelta(days=9),
                           units=[units["so-a"], units["so-b"], units["so-c"]])


def reference(campaign, compiled, units, ids):
    """What the engine got before: every raw text parsed by build_dataset."""
    from dti.submissions.models import Value

    code = {sid: u.id for sid, u in zip(ids, units, strict=True)}
    reported, checked = [], []
    for sid, name, raw, verified_raw in Value.objects.filter(submission_id__in=ids).values_list(
            "submission_id", "field", "raw", "verified_raw"):
        if name not in compiled.fields and not (name.endswith(".status") and name[:-7] in compiled.nodes):
            continue
        reported.append((code[sid], name, raw))
        checked.append((code[sid], name, raw if verified_raw is None else verified_raw))
    return (build_dataset(compiled, units, reported, vietnamese=True),
            build_dataset(compiled, units, checked, vietnamese=True))


def same(a, b):
    assert set(a.values) == set(b.values)
    for name in a.values:
        np.testing.assert_array_equal(a.values[name], b.values[name], err_msg=name)
    assert {k: list(v) for k, v in a.statuses.items() if v.any()} == {k: list(v) for k, v in b.statuses.items() if v.any()}
    assert a.texts == b.texts
    assert sorted((p.unit, p.field, p.message, p.severity) for p in a.problems) == \
        sorted((p.unit, p.field, p.message, p.severity) for p in b.problems)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_loaded_datasets_equal_parsed_ones(hcm_campaign, users, seed):
    from dti.methodologies.selectors import compiled_for
    from dti.results.loading import load_datasets
    from dti.review.services import adjust_item
    from dti.site.demo import unit_values
    from dti.submissions.models import Submission
    from dti.submissions.services import save_entry

    compiled = compiled_for(hcm_campaign.framework)
    subs = list(Submission.objects.filter(campaign=hcm_campaign).select_related("unit").order_by("unit__code"))
    for index, submission in enumerate(subs):
        values = unit_values(compiled, "so", submission.unit.code, submission.unit.name, seed=seed * 10 + index,
                             year=2025, fill=0.8)
        save_entry(submission, user=users["system_admin"], values=values)
    first = subs[0]
    leaf = next(code for code, node in compiled.nodes.items() if node.is_leaf and node.indicator.inputs)
    number_field = next(n for n, s in compiled.fields.items() if s.type in ("count", "number") and s.indicator)
    save_entry(first, user=users["system_admin"], values={number_field: "ba mươi"}, statuses={leaf: "no_content"})
    save_entry(subs[1], user=users["system_admin"], statuses={leaf: "exempt"})
    # a reviewer's verified value beside the reported one
    from dti.submissions.models import State

    Submission.objects.filter(pk=subs[2].pk).update(state=State.SUBMITTED)
    spec = compiled.fields[number_field]
    adjust_item(subs[2], spec.indicator, user=users["reviewer"], verified={number_field: "7"}, reason="kiểm tra")

    units = [EngineUnit(id=s.unit.code, name=s.unit.name, level="so", parent="tn") for s in subs]
    ids = [s.pk for s in subs]
    reported, verified, adjusted = load_datasets(compiled, units, ids, campaign_id=hcm_campaign.pk)
    want_reported, want_verified = reference(hcm_campaign, compiled, units, ids)
    same(reported, want_reported)
    same(verified, want_verified)
    assert adjusted == {subs[2].unit.code}
    assert verified.values[number_field][2] == 7.0
    assert any("ba mươi" in p.message for p in reported.problems)
    # and for a part of the campaign (the incremental update after a save)
    part, part_verified, _ = load_datasets(compiled, units[1:], ids[1:], only_these=True)
    ref_part, ref_part_verified = reference(hcm_campaign, compiled, units[1:], ids[1:])
    same(part, ref_part)
    same(part_verified, ref_part_verified)


def test_ranking_is_unchanged_by_the_loader(client, users, campaign, submitted):
    """The scores a page shows come from the loader; the test framework's figures still hold."""
    from dti.results.selectors import campaign_scores

    scores = campaign_scores(campaign)
    a = scores.index["so-a"]
    assert scores.reported.indicators["1.2"].score[a] == pytest.approx(7.5)
