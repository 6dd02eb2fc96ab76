"""Permission matrix: each role × each view × own / other unit → expected status.

Another unit's data answers 404 (it does not exist for the user), a visible object
with a forbidden action 403, an anonymous visitor is sent to the login page (302).
"""

import pytest
from django.urls import reverse

ROLES = ["anonymous", "nobody", "reporter", "leader", "viewer", "reviewer", "scoped_reviewer", "assessment_admin",
         "system_admin"]

# view name -> (method, url builder(campaign, unit code), expected for own unit, expected for the other unit)
# expected: dict role -> status; "own"/"other" columns only differ for unit-scoped views.
UNIT = {"reporter", "leader", "viewer"}
STAFF = {"reviewer", "assessment_admin", "system_admin"}
# scoped_reviewer: a reviewer of this campaign for so-a only (a district's Phòng VH-KH-TT and its communes).


def expect(own_unit, other_unit, staff, nobody=404):
    """Expected statuses for a unit-scoped view."""
    own = {"anonymous": 302, "nobody": nobody, **{r: own_unit for r in UNIT}, **{r: staff for r in STAFF},
           "scoped_reviewer": staff}
    other = {"anonymous": 302, "nobody": nobody, **{r: other_unit for r in UNIT}, **{r: staff for r in STAFF},
             "scoped_reviewer": 404}
    return own, other


def flat(value, anonymous=302, **overrides):
    table = {role: value for role in ROLES}
    table["anonymous"] = anonymous
    table.update(overrides)
    return table, table


VIEWS = {
    "entry": ("get", lambda c, u: reverse("submissions:entry", args=[c.pk, u]), expect(200, 404, 200)),
    "entry_save": ("post", lambda c, u: reverse("submissions:entry", args=[c.pk, u]),
                   ({**expect(302, 404, 403)[0], "viewer": 403}, expect(404, 404, 403)[1])),
    "preview": ("post", lambda c, u: reverse("submissions:preview", args=[c.pk, u, "1.2"]), expect(200, 404, 200)),
    "audit": ("get", lambda c, u: reverse("audit:trail", args=[c.pk, u]), expect(200, 404, 200)),
    "review": ("get", lambda c, u: reverse("review:detail", args=[c.pk, u]), expect(403, 404, 200)),
    "review_accept": ("post", lambda c, u: reverse("review:item", args=[c.pk, u, "1.1"]), expect(403, 404, 302)),
    "review_approve": ("post", lambda c, u: reverse("review:approve", args=[c.pk, u]),
                       ({**expect(403, 404, 302)[0], "reviewer": 403, "scoped_reviewer": 403},
                        {**expect(404, 404, 302)[1], "reviewer": 403})),
    "leader_approve": ("post", lambda c, u: reverse("submissions:approve", args=[c.pk, u]),
                       ({**expect(403, 404, 403)[0], "leader": 302}, expect(404, 404, 403)[1])),
    "scorecard": ("get", lambda c, u: reverse("results:scorecard", args=[c.pk, u]), expect(200, 404, 200)),
    "ranking": ("get", lambda c, u: reverse("results:ranking", args=[c.pk]),
                flat(200, nobody=404, reporter=403, leader=403, viewer=403)),
    "ranking_csv": ("get", lambda c, u: reverse("results:ranking_csv", args=[c.pk]),
                    flat(200, nobody=404, reporter=403, leader=403, viewer=403)),
    "campaign": ("get", lambda c, u: reverse("campaigns:detail", args=[c.pk]), flat(200, nobody=404)),
    "campaigns": ("get", lambda c, u: reverse("campaigns:list"), flat(200)),
    "dashboard": ("get", lambda c, u: reverse("dashboard"), flat(200)),
    "frameworks": ("get", lambda c, u: reverse("methodologies:list"), flat(200)),
    "framework_new": ("get", lambda c, u: reverse("methodologies:create"),
                      flat(403, assessment_admin=200, system_admin=200)),
    "campaign_new": ("get", lambda c, u: reverse("campaigns:create"), flat(403, assessment_admin=200, system_admin=200)),
    "units": ("get", lambda c, u: reverse("organisations:list"), flat(403, assessment_admin=200, system_admin=200)),
    "units_import": ("get", lambda c, u: reverse("organisations:import"),
                     flat(403, assessment_admin=200, system_admin=200)),
    "extension": ("post", lambda c, u: reverse("campaigns:extension", args=[c.pk]),
                  flat(403, nobody=404, assessment_admin=302, system_admin=302)),
    "publish": ("get", lambda c, u: reverse("campaigns:publish", args=[c.pk]),
                flat(403, nobody=404, assessment_admin=200, system_admin=200)),
}

# After publication (so-b approved and published; so-a still submitted): what changes.
PUBLISHED = {
    # so-b's published result is visible to every signed-in person who sees the campaign.
    ("scorecard", "other"): {**expect(200, 200, 200)[1], "scoped_reviewer": 200},
    # the ranking opens for everybody (showing published units only to those outside the review).
    ("ranking", "own"): flat(200, nobody=404)[0],
    ("ranking_csv", "own"): flat(200, nobody=404)[0],
    # a published file is closed: a review action is refused in the page (409), nothing changes.
    ("review_accept", "other"): {**expect(403, 404, 409)[1], "scoped_reviewer": 404},
}

# Views whose answer could change with publication are checked again after it.
AFTER_PUBLICATION = {"entry", "entry_save", "audit", "review", "review_accept", "scorecard", "ranking", "ranking_csv",
                     "campaign", "publish"}
CASES = [(view, role, side, published) for view in VIEWS for role in ROLES for side in ("own", "other")
         for published in (False, True)
         if not (VIEWS[view][2][0] is VIEWS[view][2][1] and side == "other")
         and (not published or view in AFTER_PUBLICATION)]


@pytest.fixture
def scoped_reviewer(make_user, units, campaign):
    return make_user("thamdinh.so-a", "reviewer", campaign=campaign, units=[units["so-a"]])


@pytest.mark.parametrize("view,role,side,published", CASES)
def test_permission_matrix(client, users, scoped_reviewer, submitted, campaign, view, role, side, published):
    method, url, (own, other) = VIEWS[view]
    if published:
        from dti.review.services import approve, publish_campaign

        from .conftest import sub

        approve(sub(campaign, "so-b"), user=users["assessment_admin"])
        publish_campaign(campaign, user=users["assessment_admin"])
    people = {**users, "scoped_reviewer": scoped_reviewer}
    if role != "anonymous":
        client.force_login(people[role])
    code = "so-a" if side == "own" else "so-b"
    data = {"action": "accept"} if method == "post" else None
    response = getattr(client, method)(url(campaign, code), data)
    table = PUBLISHED.get((view, side)) if published else None
    expected = (table or (own if side == "own" else other))[role]
    assert response.status_code == expected, f"{view} {role} {side} published={published}"


def test_published_scorecard_of_another_unit_becomes_visible(client, users, submitted, campaign):
    from dti.review.services import approve, publish_campaign

    from .conftest import sub

    for code in ("so-a", "so-b"):
        approve(sub(campaign, code), user=users["assessment_admin"])
    publish_campaign(campaign, user=users["assessment_admin"])
    client.force_login(users["reporter"])
    assert client.get(reverse("results:scorecard", args=[campaign.pk, "so-b"])).status_code == 200
    assert client.get(reverse("results:ranking", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("submissions:entry", args=[campaign.pk, "so-b"])).status_code == 404


def test_reviewer_scoped_to_units_sees_only_them(client, make_user, units, submitted, campaign):
    reviewer = make_user("thamdinh.b", "reviewer", campaign=campaign, units=[units["so-b"]])
    client.force_login(reviewer)
    assert client.get(reverse("review:detail", args=[campaign.pk, "so-b"])).status_code == 200
    assert client.get(reverse("review:detail", args=[campaign.pk, "so-a"])).status_code == 404


def test_reviewer_of_another_campaign_sees_nothing(client, make_user, submitted, campaign, framework, units, today):
    import datetime as dt

    from dti.campaigns.services import create_campaign

    other = create_campaign(name="Khác", framework=framework, year=2025, period_start=today, period_end=today,
                            entry_deadline=today, review_deadline=today, units=[units["so-a"]])
    reviewer = make_user("thamdinh.khac", "reviewer", campaign=other)
    client.force_login(reviewer)
    assert client.get(reverse("review:detail", args=[campaign.pk, "so-a"])).status_code == 404
    assert client.get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 404
    assert dt  # noqa


def test_leader_with_subtree_covers_child_units(client, make_user, units, submitted, campaign):
    leader = make_user("lanhdao.tinh", "viewer", units["tn"], subtree=True)
    client.force_login(leader)
    assert client.get(reverse("submissions:entry", args=[campaign.pk, "so-b"])).status_code == 200
    no_subtree = make_user("xem.tinh", "viewer", units["tn"])
    client.force_login(no_subtree)
    assert client.get(reverse("submissions:entry", args=[campaign.pk, "so-b"])).status_code == 404


def test_subtree_assessment_admin_cannot_act_campaign_wide(client, make_user, units, submitted, campaign):
    """A district's admin (scoped to a subtree) administers its units only."""
    from dti.organisations.services import create_unit

    district = create_unit(code="huyen-x", name="Huyện X", level="huyen", parent=units["tn"])
    admin = make_user("quantri.huyen-x", "assessment_admin", district, subtree=True)
    client.force_login(admin)
    assert client.get(reverse("review:detail", args=[campaign.pk, "so-a"])).status_code == 404
    assert client.post(reverse("campaigns:publish", args=[campaign.pk])).status_code in (403, 404)
    assert client.get(reverse("organisations:import")).status_code == 403
    assert client.get(reverse("methodologies:create")).status_code == 403
