"""Safe, vectorised arithmetic expressions for methods like 'Tỷ lệ = (a+b)/(c+d)'.

Expressions are parsed with ``ast`` and only arithmetic, comparisons and a few
functions are allowed; nothing is ever ``eval``-ed.  Evaluation works on numpy
arrays (one element per unit) and reports where a denominator was zero, so a
division by zero becomes a status, never NaN or a crash.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_NEGATED = {ast.Lt: operator.ge, ast.LtE: operator.gt, ast.Gt: operator.le, ast.GtE: operator.lt}
_FUNCTIONS: dict[str, np.ufunc] = {"min": np.minimum, "max": np.maximum, "abs": np.abs}


class ExpressionError(ValueError):
    pass


Array = np.ndarray[Any, np.dtype[Any]]
# (inputs, where-a-denominator-was-zero) → an array or a number; the mask is None for a comparison
# evaluated without division
Evaluator = Callable[[Mapping[str, Array], Any], Any]


@dataclass
class Expression:
    source: str
    variables: list[str] = field(default_factory=list)
    has_division: bool = False
    _fn: Evaluator | None = None
    _violated: Evaluator | None = None

    def violated(self, env: Mapping[str, Array], size: int) -> Array:
        """Where a constraint is broken, its inputs all being given.  An order comparison is
        evaluated negated (``a <= b`` is broken where ``a > b``): NaN compares false, so the
        units missing an input drop out in the same single pass."""
        if self._violated is not None:
            negated = self._violated(env, None)
            if isinstance(negated, np.ndarray) and negated.shape == (size,):
                return negated
            return np.broadcast_to(np.asarray(negated, dtype=bool), (size,))
        holds, _ = self.evaluate(env, size)
        broken: Array = ~holds.astype(bool)
        for name in self.variables:
            broken &= ~np.isnan(env[name])
        return broken

    def evaluate(self, env: Mapping[str, Array], size: int) -> tuple[Array, Array]:
        """Return (values, zero_division_mask). Missing inputs are NaN and propagate."""
        zero = np.zeros(size, dtype=bool)
        assert self._fn is not None  # set by compile_expression
        values = self._fn(env, zero)
        if not (isinstance(values, np.ndarray) and values.shape == (size,) and values.dtype == np.float64):
            values = np.broadcast_to(np.asarray(values, dtype=float), (size,))
        return values, zero


def compile_expression(source: str, *, allow_compare: bool = False) -> Expression:
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"biểu thức '{source}' không hợp lệ: {exc.msg}") from None
    expression = Expression(source=source)
    seen: list[str] = []

    def build(node: ast.AST) -> Evaluator:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(
            node.value, bool
        ):
            constant = float(node.value)
            return lambda env, zero: constant
        if isinstance(node, ast.Name):
            name = node.id
            if name not in seen:
                seen.append(name)
            return lambda env, zero: env[name]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "info":
            name = f"info.{node.attr}"
            if name not in seen:
                seen.append(name)
            return lambda env, zero: env[name]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = build(node.operand)
            if isinstance(node.op, ast.USub):
                return lambda env, zero: np.negative(inner(env, zero))
            return inner
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right, fn = build(node.left), build(node.right), _BINARY[type(node.op)]
            return lambda env, zero: fn(left(env, zero), right(env, zero))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            expression.has_division = True
            left, right = build(node.left), build(node.right)

            def divide(env: Mapping[str, Array], zero: Array) -> Any:
                numerator = np.asarray(left(env, zero), dtype=float)
                denominator = np.asarray(right(env, zero), dtype=float)
                is_zero = denominator == 0
                with np.errstate(divide="ignore", invalid="ignore"):
                    quotient = numerator / denominator
                if is_zero.any():  # rare: mark it, and never let ±inf or 0/0 through
                    zero |= is_zero
                    if quotient.ndim:
                        quotient[is_zero] = np.nan  # a fresh array; sparse, so cheaper than np.where
                    else:
                        quotient = np.float64(np.nan)
                return quotient

            return divide
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
            function = _FUNCTIONS[node.func.id]
            args = [build(a) for a in node.args]
            if node.keywords or not args or (function is np.abs and len(args) != 1):
                raise ExpressionError(f"hàm {node.func.id}() dùng sai trong '{source}'")

            def call(env: Mapping[str, Array], zero: Array) -> Any:
                result = args[0](env, zero)
                if function is np.abs:
                    return function(result)
                for arg in args[1:]:
                    result = function(result, arg(env, zero))
                return result

            return call
        if allow_compare and isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right, op = build(node.left), build(node.comparators[0]), _COMPARE.get(type(node.ops[0]))
            if op is None:
                raise ExpressionError(f"phép so sánh không hỗ trợ trong '{source}'")
            return lambda env, zero: op(left(env, zero), right(env, zero))
        raise ExpressionError(f"biểu thức '{source}' chỉ được dùng số, biến, + − × /, min, max, abs")

    expression._fn = build(tree.body)
    expression.variables = seen
    body = tree.body
    if isinstance(body, ast.Compare) and len(body.ops) == 1 and type(body.ops[0]) in _NEGATED:
        if not expression.has_division:  # a zero denominator must still count as broken
            left, right, negated = build(body.left), build(body.comparators[0]), _NEGATED[type(body.ops[0])]
            expression._violated = lambda env, zero: negated(left(env, zero), right(env, zero))
    return expression
