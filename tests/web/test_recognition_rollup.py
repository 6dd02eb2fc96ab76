"""Once the council has concluded, a district's general criterion reads its communes' recognised levels."""

import pytest

from dti.recognition import services, workflow
from dti.results.selectors import scorecard

from .recognition_fixtures import *  # noqa: F403
from .recognition_fixtures import msub


@pytest.fixture
def files(send, council, mcampaign, people):
    for code, level in (("x1", 2), ("x2", 1), ("h1", 2)):
        send(code, level)
    units = [msub(mcampaign, c).unit for c in ("x1", "x2")]
    return {f.unit.code: f for f in services.assign_files(council, units, user=people["admin"])}


def _general(card):
    return next(row for row in card.rows if row.code == "huyen.I.1")


def test_district_uses_computed_levels_before_the_council(files, mcampaign):
    card = scorecard(mcampaign, "h1")
    assert card.maturity == 2  # x1 mức 2, x2 mức 1: 100% ≥ 1, 50% ≥ 2
    assert "tính theo mức chấm từ số liệu" in _general(card).explain
    assert card.recognised is None


def test_district_uses_recognised_levels_once_concluded(files, mcampaign, people):
    services.conclude(files["x1"], user=people["r2"], level=1, reasons="Tiêu chí 1 chưa đạt 60%")
    card = scorecard(mcampaign, "h1")
    assert "1 tính theo mức độ được công nhận, 1 theo mức chấm từ số liệu" in _general(card).explain
    assert card.maturity == 1  # now 0% of its communes at mức 2
    assert card.self_maturity == 2  # the self-assessment still reads the data
    services.conclude(files["x2"], user=people["r2"], level=2, reasons="Đã bổ sung minh chứng")
    card = scorecard(mcampaign, "h1")
    assert "2 đơn vị trực thuộc, tính theo mức độ được công nhận" in _general(card).explain
    assert card.maturity == 2
    # the council's level is the commune's verified result; its self-assessment stays beside it
    x1 = scorecard(mcampaign, "x1")
    assert (x1.maturity, x1.self_maturity, x1.recognised) == (1, 2, 1)


def test_reopening_a_file_goes_back_to_the_computed_level(files, mcampaign, people):
    services.conclude(files["x1"], user=people["r2"], level=1, reasons="x")
    assert scorecard(mcampaign, "h1").maturity == 1
    workflow.run(files["x1"], "reopen", user=people["admin"], roles={"assessment_admin"})
    assert scorecard(mcampaign, "h1").maturity == 2
