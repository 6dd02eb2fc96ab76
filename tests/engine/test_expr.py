"""Safe, vectorised expressions: arithmetic only, division by zero as a mask, never eval."""

import numpy as np
import pytest

from dti.engine.expr import ExpressionError, compile_expression


def evaluate(source, size=3, **env):
    expression = compile_expression(source)
    arrays = {k.replace("__", "."): np.asarray(v, dtype=float) for k, v in env.items()}
    return expression.evaluate(arrays, size)


def test_expr_arithmetic_is_vectorised():
    values, zero = evaluate("(a + b) / (c - 1) * 2", a=[1, 2, 3], b=[1, 1, 1], c=[2, 3, 4])
    assert values.tolist() == pytest.approx([4.0, 3.0, 8 / 3])
    assert not zero.any()


def test_expr_division_by_zero_is_a_mask_not_nan_or_inf():
    values, zero = evaluate("a / b", a=[1, 0, 2], b=[0, 0, 4])
    assert zero.tolist() == [True, True, False]
    assert np.isnan(values[:2]).all() and values[2] == 0.5
    assert not np.isinf(values).any()


def test_expr_nested_zero_denominator_is_reported():
    _, zero = evaluate("a / (b - c)", a=[1, 1, 1], b=[2, 3, 4], c=[2, 1, 1])
    assert zero.tolist() == [True, False, False]


def test_expr_missing_input_propagates_as_nan():
    values, zero = evaluate("a + b", a=[1, np.nan, 3], b=[1, 1, 1])
    assert np.isnan(values[1]) and values[0] == 2
    assert not zero.any()


def test_expr_functions():
    values, _ = evaluate("min(a, b, 5) + max(a, 0) + abs(b)", a=[1, -2, 9], b=[-3, 4, 7])
    assert values.tolist() == [-3 + 1 + 3, -2 + 0 + 4, 5 + 9 + 7]


def test_expr_unary_minus_and_constants():
    values, _ = evaluate("-a + +2.5 + 1", a=[1, 2, 3])
    assert values.tolist() == [2.5, 1.5, 0.5]


def test_expr_constant_broadcasts_to_every_unit():
    values, _ = evaluate("100", size=4)
    assert values.tolist() == [100.0] * 4


def test_expr_lists_variables_in_order_including_general_information():
    expression = compile_expression("(a + info.so_cong_chuc) / (b + a)")
    assert expression.variables == ["a", "info.so_cong_chuc", "b"]
    assert expression.has_division
    assert not compile_expression("a * b").has_division


def test_expr_general_information_is_read_from_env():
    values, _ = evaluate("a / info.n", a=[1, 2, 3], info__n=[2, 2, 2])
    assert values.tolist() == [0.5, 1.0, 1.5]


def test_expr_comparison_only_where_allowed():
    with pytest.raises(ExpressionError):
        compile_expression("a <= b")
    holds, _ = compile_expression("a + b <= c", allow_compare=True).evaluate(
        {"a": np.array([1.0, 2.0]), "b": np.array([1.0, 2.0]), "c": np.array([2.0, 3.0])}, 2)
    assert holds.tolist() == [1.0, 0.0]


@pytest.mark.parametrize("source", [
    "__import__('os').system('echo hi')",
    "a.__class__",
    "open('/etc/passwd')",
    "a ** 2",
    "a // b",
    "a % b",
    "[a, b]",
    "a if b else c",
    "lambda: 1",
    "'text'",
    "True",
    "min()",
    "abs(a, b)",
    "max(a, key=b)",
    "sum(a)",
    "a < b < c",
])
def test_expr_refuses_anything_but_arithmetic(source):
    with pytest.raises(ExpressionError):
        compile_expression(source, allow_compare=True)


def test_expr_syntax_error_is_vietnamese():
    with pytest.raises(ExpressionError, match="biểu thức 'a / ' không hợp lệ"):
        compile_expression("a / ")
