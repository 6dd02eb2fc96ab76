"""Two provinces, an assessment administrator for each, people in both (for the people-management tests)."""

import pytest


@pytest.fixture
def provinces(units):
    from dti.organisations.services import create_unit

    other = create_unit(code="tk", name="UBND tỉnh Khác", level="tinh")
    return {"tn": units["tn"], "so-a": units["so-a"], "so-b": units["so-b"], "tk": other,
            "so-x": create_unit(code="so-x", name="Sở Khác", level="so", parent=other)}


@pytest.fixture
def admins(make_user, provinces):
    return {
        "tn": make_user("quantri.tn", "assessment_admin", provinces["tn"]),
        "tk": make_user("quantri.tk", "assessment_admin", provinces["tk"]),
        "global": make_user("quantri.all", "assessment_admin"),
    }


@pytest.fixture
def people(make_user, provinces):
    from dti.accounts.models import RoleAssignment

    both = make_user("hai.noi", "viewer", provinces["so-a"])
    RoleAssignment.objects.create(user=both, role="viewer", unit=provinces["so-x"])
    return {
        "a": make_user("bientap.a", "reporter", provinces["so-a"]),
        "x": make_user("bientap.x", "reporter", provinces["so-x"]),
        "both": both,  # roles in both provinces: nobody's but a global administrator's
    }
