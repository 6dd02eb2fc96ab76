"""Datasets cross process boundaries (a run shared through Redis): pickled, they score the same."""

from __future__ import annotations

import pickle

import numpy as np

from dti.engine.data import Columns, Unit, build_dataset
from dti.engine.scoring import score

from .helpers import AB, compiled_of, field, framework, leaf


def compiled():
    return compiled_of(framework([
        {"code": "1", "name": "Tỷ lệ", "children": [
            leaf("1.1", {"kind": "ratio", "value": "a / b"}, AB),
            leaf("1.2", {"kind": "relative", "method": "min_max", "value": "a"}, [field("a")]),
        ]},
    ]))


def dataset(c):
    units = [Unit(id=f"u{i}", name=f"Đơn vị {i}", level="so") for i in range(4)]
    records = [("u0", "a", "3"), ("u0", "b", "4"), ("u1", "a", "1,5"), ("u1", "b", "2"),
               ("u2", "a", "abc"), ("u3", "b", "0")]
    return build_dataset(c, units, records, vietnamese=True)


def test_a_pickled_dataset_scores_exactly_the_same():
    c = compiled()
    data = dataset(c)
    again = pickle.loads(pickle.dumps(data, pickle.HIGHEST_PROTOCOL))
    first, second = score(c, data), score(c, again)
    np.testing.assert_array_equal(first.total, second.total)
    np.testing.assert_array_equal(first.rank, second.rank)
    for code, result in first.indicators.items():
        np.testing.assert_array_equal(result.score, second.indicators[code].score)
        np.testing.assert_array_equal(result.status, second.indicators[code].status)
    assert [first.unit_result(i) for i in range(4)] == [second.unit_result(i) for i in range(4)]


def test_rows_come_back_as_views_of_one_matrix():
    data = dataset(compiled())
    again = pickle.loads(pickle.dumps(data))
    assert isinstance(again.values, Columns)
    for name in again.values:
        assert np.shares_memory(again.values[name], again.values.matrix)


def test_an_entry_replaced_since_stays_replaced():
    data = dataset(compiled())
    data.values["a"] = np.array([9.0, 9.0, 9.0, 9.0])
    again = pickle.loads(pickle.dumps(data))
    np.testing.assert_array_equal(again.values["a"], [9.0, 9.0, 9.0, 9.0])


def test_a_lazy_problem_message_travels_as_its_text():
    data = dataset(compiled())
    assert data.problems  # "abc" is not a number
    again = pickle.loads(pickle.dumps(data))
    assert [p.message for p in again.problems] == [p.message for p in data.problems]
    assert [(p.unit, p.field) for p in again.problems] == [(p.unit, p.field) for p in data.problems]
