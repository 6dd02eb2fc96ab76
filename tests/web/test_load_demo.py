from django.core.management import call_command
from django.http import HttpRequest

from dti.accounts.models import Role, RoleAssignment
from dti.campaigns.models import Campaign
from dti.organisations.models import Unit
from dti.submissions.models import State, Submission


def test_load_demo_is_idempotent_and_covers_every_state(db):
    call_command("load_demo", quiet=True)
    counts = (Unit.objects.count(), Campaign.objects.count(), Submission.objects.count())
    call_command("load_demo", quiet=True)
    assert (Unit.objects.count(), Campaign.objects.count(), Submission.objects.count()) == counts
    assert {lv for lv in Unit.objects.values_list("level_id", flat=True)} >= {"tinh", "so", "huyen", "xa"}
    current = Campaign.objects.filter(framework__code="hcm-79-so").order_by("-year").first()
    states = set(current.submissions.values_list("state", flat=True))
    assert states == {s.value for s in State}
    assert {r for r in RoleAssignment.objects.values_list("role", flat=True)} == {r.value for r in Role}
    # Last year's published campaign is on the public page (once, however often the demo is loaded).
    assert list(Campaign.objects.filter(public__isnull=False).values_list("year", flat=True)) == [current.year - 1]


def test_demo_users_can_log_in(db, client):
    call_command("load_demo", quiet=True)
    # django-axes counts sign-ins per request: the test client's login() must pass one.
    assert client.login(request=HttpRequest(), username="admin", password="admin")
    assert client.login(request=HttpRequest(), username="bientap.so-tttt", password="demo")
    assert client.get("/").status_code == 200
