"""Lists in Vietnamese alphabetical order of names (dti/collation.py): 'Sở Thông tin…' before 'Sở Tư pháp'."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from dti.collation import sort_vietnamese, vietnamese_key


def test_vietnamese_letters_follow_the_vietnamese_alphabet():
    names = ["Sở Tư pháp", "Sở Y tế", "Sở Đầu tư", "Sở Thông tin và Truyền thông", "Sở Du lịch", "Sở Ăn uống",
             "Sở An ninh", "Sở Ân xá"]
    assert sort_vietnamese(names) == ["Sở An ninh", "Sở Ăn uống", "Sở Ân xá", "Sở Du lịch", "Sở Đầu tư",
                                      "Sở Thông tin và Truyền thông", "Sở Tư pháp", "Sở Y tế"]


def test_tone_marks_only_break_ties_of_letters():
    assert sort_vietnamese(["bé", "bẹ", "be", "bè", "bẻ", "bẽ", "bea"]) == ["be", "bè", "bẻ", "bẽ", "bé", "bẹ", "bea"]


def test_case_does_not_change_the_letter_order():
    assert sort_vietnamese(["đào", "Đa", "dê", "Dao"]) == ["Dao", "dê", "Đa", "đào"]


def test_digits_and_spaces_come_before_letters():
    assert sort_vietnamese(["Phường 10", "Phường 2", "Phường A", "Phườnga"]) == [
        "Phường 10", "Phường 2", "Phường A", "Phườnga"]


@given(st.lists(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạềếểễệĐÂƯ 0123", max_size=8), max_size=8))
def test_sorting_is_a_total_order_independent_of_input_order(names):
    assert sort_vietnamese(names) == sort_vietnamese(reversed(names))
    assert all(vietnamese_key(a) <= vietnamese_key(b) for a, b in zip(sort_vietnamese(names), sort_vietnamese(names)[1:]))


def _units(db):
    from dti.organisations.services import create_unit

    province = create_unit(code="tinh", name="UBND tỉnh", level="tinh")
    # codes in the opposite order of the names
    create_unit(code="a-tp", name="Sở Tư pháp", level="so", parent=province)
    create_unit(code="b-tt", name="Sở Thông tin và Truyền thông", level="so", parent=province)
    create_unit(code="c-dt", name="Sở Đầu tư", level="so", parent=province)
    return province


def test_unit_list_in_vietnamese_name_order(client, db, make_user):
    _units(db)
    client.force_login(make_user("root", "system_admin"))
    html = client.get(reverse("organisations:list")).content.decode()
    assert html.index("Sở Đầu tư") < html.index("Sở Thông tin và Truyền thông") < html.index("Sở Tư pháp")


def test_campaign_units_and_extension_selector_in_name_order(client, db, make_user, framework):
    import datetime as dt

    from dti.campaigns.services import create_campaign
    from dti.organisations.models import Unit

    _units(db)
    campaign = create_campaign(name="Đợt thử", framework=framework, year=2024, period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 12, 31), entry_deadline=dt.date(2099, 1, 1),
                               review_deadline=dt.date(2099, 2, 1), units=list(Unit.objects.filter(level_id="so")))
    client.force_login(make_user("root", "system_admin"))
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    table = html[html.index("<tbody"):]
    assert table.index("Sở Đầu tư") < table.index("Sở Thông tin và Truyền thông") < table.index("Sở Tư pháp")
    from dti.campaigns.forms import ExtensionForm

    labels = [label for value, label in ExtensionForm(campaign=campaign).fields["unit"].choices if value]
    assert labels == sorted(labels, key=vietnamese_key) and len(labels) == 3


def test_ranking_ties_listed_by_name(client, users, campaign):
    # nobody has data: every unit ties at 0, listed Alpha, Bêta, Gamma by name
    from dti.organisations.models import Unit

    Unit.objects.filter(code="so-a").update(name="Sở Tư pháp")
    Unit.objects.filter(code="so-b").update(name="Sở Thông tin và Truyền thông")
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert html.index("Sở Gamma") < html.index("Sở Thông tin và Truyền thông") < html.index("Sở Tư pháp")
