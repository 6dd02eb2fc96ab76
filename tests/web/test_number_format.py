"""The `num` (trailing zeros dropped) and `num_fixed` (a column of figures) template filters."""

from django.template import Context, Template
from django.utils import translation

from dti.site.templatetags.dti import format_num, num, num_fixed


def test_fixed_decimals_in_each_language():
    with translation.override("vi"):
        assert (num_fixed(20), num_fixed(24.1666), num_fixed(1234.5), num_fixed(86, 1)) == (
            "20,00", "24,17", "1.234,50", "86,0")
    with translation.override("en"):
        assert (num_fixed(20), num_fixed(24.1666), num_fixed(1234.5)) == ("20.00", "24.17", "1,234.50")


def test_stripped_form_is_unchanged():
    with translation.override("vi"):
        assert (num(20), num(24.1666), num(2.50)) == ("20", "24,17", "2,5")


def test_absent_and_negative_zero():
    assert num_fixed(None) == "—" and num_fixed(float("nan")) == "—"
    with translation.override("vi"):
        assert format_num(-0.001, fixed=True) == "0,00" and format_num(-0.001) == "0"
        assert num_fixed(-1.5) == "-1,50"


def test_filter_in_a_template():
    with translation.override("vi"):
        assert Template("{{ v|num_fixed }} {{ v|num_fixed:1 }}").render(Context({"v": 7.5})) == "7,50 7,5"
