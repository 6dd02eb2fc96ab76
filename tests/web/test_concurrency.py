"""Real parallel transactions on PostgreSQL: each case runs its requests in threads released
together by a barrier, each thread on its own database connection; the final state and the
audit trail are checked afterwards.  (SQLite serialises every write transaction with a file
lock, so these races cannot happen there; the cases are skipped.)
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dti.audit.models import AuditEvent
from dti.submissions.models import State, Submission, Value

from .conftest import GOOD, sub

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the data migrations' levels
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL"),
]


def in_parallel(*calls):
    """Run the calls at the same moment, each in its own thread and connection; their outcomes in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except Exception as exc:  # the outcome is what we assert on
            outcomes[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def fresh(campaign, code="so-a") -> Submission:
    return sub(campaign, code)


def test_parallel_submits_record_one_transition(campaign, users, fill):
    from dti.submissions.services import WorkflowError, approve_by_leader, submit

    s = fresh(campaign)
    fill(s)
    approve_by_leader(s, user=users["leader"])
    outcomes = in_parallel(*[lambda: submit(fresh(campaign), user=users["reporter"]) for _ in range(3)])
    assert sorted(kind for kind, _ in outcomes) == ["error", "error", "ok"]
    assert all(isinstance(value, WorkflowError) for kind, value in outcomes if kind == "error")
    events = AuditEvent.objects.filter(submission_id=s.pk, action="submission.state", new=State.SUBMITTED)
    assert events.count() == 1
    assert fresh(campaign).state == State.SUBMITTED


def test_draft_save_racing_the_leaders_approval_never_lands_after_it(campaign, users, fill):
    from dti.submissions.services import WorkflowError, approve_by_leader, save_entry, withdraw_leader_approval

    s = fresh(campaign)
    fill(s)
    for trial in range(10):
        value = str(trial % 3 + 1)
        outcomes = in_parallel(
            lambda v=value: save_entry(fresh(campaign), user=users["reporter"], values={"1.2.a": v}),
            lambda: approve_by_leader(fresh(campaign), user=users["leader"]),
        )
        save, approval = outcomes
        assert approval[0] == "ok"  # the values were valid either way
        approved_at = fresh(campaign).leader_approved_at
        saved = Value.objects.get(submission=s, field="1.2.a")
        if save[0] == "ok":
            assert saved.updated_at <= approved_at, f"trial {trial}: a value committed after the approval"
        else:
            assert isinstance(save[1], WorkflowError)
        changes_after = AuditEvent.objects.filter(submission_id=s.pk, action="value.change", at__gt=approved_at)
        assert not changes_after.exists()
        withdraw_leader_approval(fresh(campaign), user=users["leader"])


def test_same_empty_field_saved_by_two_people_at_once(campaign, users):
    from dti.submissions.services import save_entry

    outcomes = in_parallel(
        lambda: save_entry(fresh(campaign), user=users["reporter"], values={"1.2.a": "5", "1.2.b": "9"},
                           originals={"f:1.2.a": "", "f:1.2.b": ""}),
        lambda: save_entry(fresh(campaign), user=users["leader"], values={"1.2.a": "5", "1.3.co": "1"},
                           originals={"f:1.2.a": "", "f:1.3.co": ""}),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert all(not value.conflicts for _, value in outcomes)
    s = fresh(campaign)
    assert {v.field: v.raw for v in Value.objects.filter(submission=s)} == {"1.2.a": "5", "1.2.b": "9", "1.3.co": "1"}
    assert AuditEvent.objects.filter(submission_id=s.pk, field="1.2.a").count() == 1


def test_different_values_in_the_same_empty_field_one_wins_the_other_is_told(campaign, users):
    from dti.submissions.services import save_entry

    outcomes = in_parallel(
        lambda: save_entry(fresh(campaign), user=users["reporter"], values={"1.2.a": "5"}, originals={"f:1.2.a": ""}),
        lambda: save_entry(fresh(campaign), user=users["leader"], values={"1.2.a": "7"}, originals={"f:1.2.a": ""}),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    stored = Value.objects.get(submission=fresh(campaign), field="1.2.a").raw
    loser = [value for _, value in outcomes if value.conflicts]
    assert len(loser) == 1
    conflict = loser[0].conflicts["f:1.2.a"]
    assert conflict.theirs == stored and conflict.mine != stored and conflict.who


def test_lost_update_between_two_editors_in_parallel(campaign, users, fill):
    from dti.submissions.services import save_entry

    fill(fresh(campaign), {**GOOD, "1.2.a": "3"})
    shown = {"f:1.2.a": "3", "f:1.3.co": "1"}
    outcomes = in_parallel(
        lambda: save_entry(fresh(campaign), user=users["reporter"], values={"1.2.a": "2", "1.3.co": "1"},
                           originals=shown),
        lambda: save_entry(fresh(campaign), user=users["leader"], values={"1.2.a": "3", "1.3.co": "0"},
                           originals=shown),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    values = {v.field: v.raw for v in Value.objects.filter(submission=fresh(campaign))}
    assert values["1.2.a"] == "2" and values["1.3.co"] == "0"
    assert list(AuditEvent.objects.filter(field="1.2.a", action="value.change").exclude(user=users["reporter"])) == []


def test_reviewer_return_racing_the_approval_cannot_reopen_the_file(campaign, users, submitted):
    from dti.review.services import accept_item, approve, return_item, send_back

    accept_item(submitted, "1.1", user=users["reviewer"])
    outcomes = in_parallel(
        lambda: (return_item(fresh(campaign), "1.2", user=users["reviewer"], comment="Bổ sung biên bản",
                             expected_state="under_review"),
                 send_back(fresh(campaign), user=users["reviewer"], expected_state="under_review")),
        lambda: approve(fresh(campaign), user=users["assessment_admin"]),
    )
    final = fresh(campaign).state
    kinds = [kind for kind, _ in outcomes]
    if final == State.APPROVED:
        assert kinds[1] == "ok"
        transitions = list(AuditEvent.objects.filter(submission_id=submitted.pk, action="submission.state")
                           .order_by("at", "id").values_list("new", flat=True))
        assert transitions[-1] == State.APPROVED and State.RETURNED not in transitions
    else:  # the return and send-back came first: approval refused, nothing approved
        assert final == State.RETURNED and kinds[1] == "error"


def test_parallel_publication_publishes_each_unit_once(campaign, users, submitted):
    from dti.review.services import approve, publish_campaign

    for code in ("so-a", "so-b"):
        approve(fresh(campaign, code), user=users["assessment_admin"])
    outcomes = in_parallel(*[lambda: publish_campaign(campaign, user=users["assessment_admin"]) for _ in range(3)])
    assert sum(value for kind, value in outcomes if kind == "ok") == 2
    assert AuditEvent.objects.filter(action="submission.state", new=State.PUBLISHED).count() == 2


def test_parallel_saves_and_review_never_deadlock(campaign, users, submitted):
    """Saves lock the submission then the campaign; so does publication: no lock cycle."""
    from dti.review.services import approve, publish_campaign
    from dti.submissions.services import save_entry

    approve(fresh(campaign, "so-a"), user=users["assessment_admin"])
    outcomes = in_parallel(
        lambda: publish_campaign(campaign, user=users["assessment_admin"]),
        lambda: save_entry(fresh(campaign, "so-c"), user=users["system_admin"], values={"1.2.a": "1"}),
        lambda: save_entry(fresh(campaign, "so-c"), user=users["system_admin"], values={"1.2.b": "2"}),
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok", "ok"], outcomes


def test_accept_remaining_racing_an_adjustment_never_overwrites_it(campaign, users, submitted, make_user):
    """Both pages showed 1.2 undecided: exactly one of "accept all remaining" and the adjustment decides it."""
    from dti.review.models import ReviewItem
    from dti.review.services import accept_remaining, adjust_item

    other = make_user("thamdinh2", "reviewer", campaign=campaign)
    seen = {code: "" for code in ("1.1", "1.2", "1.3", "2.1")}
    bulk, single = in_parallel(
        lambda: accept_remaining(fresh(campaign), seen, user=users["reviewer"], expected_state="submitted"),
        lambda: adjust_item(fresh(campaign), "1.2", user=other, verified={"1.2.a": "2"}, reason="2 biên bản",
                            seen="", expected_state="submitted"),
    )
    assert bulk[0] == "ok"
    accepted, skipped = bulk[1]
    item = ReviewItem.objects.get(submission=submitted, indicator="1.2")
    if single[0] == "ok":  # the adjustment came first: the bulk action left it alone
        assert [s.code for s in skipped] == ["1.2"] and item.status == "adjusted"
        assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw == "2"
    else:  # the bulk action came first: the adjustment was refused, nothing half-written
        assert "1.2" in accepted and item.status == "accepted"
        assert Value.objects.get(submission=submitted, field="1.2.a").verified_raw is None
    assert AuditEvent.objects.filter(submission_id=submitted.pk, indicator="1.2",
                                     action__in=["review.accept", "review.adjust"]).count() == 1
