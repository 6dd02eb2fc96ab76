"""Two years of the test framework for the charts and the public page.

2024 (``campaign``): so-a, so-b published; so-c submitted, not published (best working score).
2025 (``next_year``, previous = 2024): so-b now ahead of so-a, both published; so-c in draft with the
best values again.  Official ranks (published units only): 2024 a=1, b=2; 2025 b=1, a=2.
Working ranks (lead agency): 2024 c=1, a=2, b=3; 2025 c=1, b=2, a=3.
"""

from __future__ import annotations

import datetime as dt

import pytest

__all__ = ["two_years"]

from .conftest import GOOD, sub

VALUES_2024 = {"so-a": GOOD, "so-b": {**GOOD, "2.1.a": "50", "1.1.truong_ban": "pho_giam_doc"},
               "so-c": {**GOOD, "2.1.a": "300"}}
VALUES_2025 = {"so-a": GOOD, "so-b": {**GOOD, "2.1.a": "200"}, "so-c": {**GOOD, "2.1.a": "500"}}


def _run(campaign, values, *, submit_codes, publish_codes, reporters, admin):
    from dti.review.services import approve, publish_campaign
    from dti.submissions.services import approve_by_leader, save_entry, submit

    for code, typed in values.items():
        submission = sub(campaign, code)
        save_entry(submission, user=reporters[code], values=typed)
        if code in submit_codes:
            approve_by_leader(submission, user=reporters[code])
            submit(submission, user=reporters[code])
    for code in publish_codes:
        approve(sub(campaign, code), user=admin)
    publish_campaign(campaign, user=admin)


@pytest.fixture
def two_years(campaign, units, users, make_user, today):
    from dti.campaigns.services import create_campaign

    reporters = {"so-a": users["reporter"], "so-b": users["reporter_b"],
                 "so-c": make_user("bientap.so-c", "reporter", units["so-c"])}
    admin = users["assessment_admin"]
    _run(campaign, VALUES_2024, submit_codes={"so-a", "so-b", "so-c"}, publish_codes=["so-a", "so-b"],
         reporters=reporters, admin=admin)
    later = create_campaign(
        name="Đánh giá thử nghiệm 2025", framework=campaign.framework, year=2025,
        period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        entry_deadline=today + dt.timedelta(days=10), review_deadline=today + dt.timedelta(days=20),
        previous=campaign, units=[units["so-a"], units["so-b"], units["so-c"]],
    )
    _run(later, VALUES_2025, submit_codes={"so-a", "so-b"}, publish_codes=["so-a", "so-b"],
         reporters=reporters, admin=admin)
    campaign.refresh_from_db()
    later.refresh_from_db()
    return {"previous": campaign, "current": later, "reporters": reporters}
