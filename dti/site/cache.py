"""An in-process cache backend that keeps Python objects as they are (no pickling).

Score runs hold numpy arrays and compiled expressions (closures), which cannot be
pickled and would be slow to copy.  Keys carry the campaign's ``scores_version``
read from the database, so every process recomputes after a change: nothing here
is a source of truth.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_stores: dict[str, OrderedDict] = {}
_locks: dict[str, threading.Lock] = {}


class ObjectCache(BaseCache):
    """Shared by every thread of the process (Django builds one backend instance per thread)."""

    def __init__(self, name, params):
        super().__init__(params)
        self._data: OrderedDict[str, tuple[float | None, object]] = _stores.setdefault(name, OrderedDict())
        self._lock = _locks.setdefault(name, threading.Lock())

    def _expiry(self, timeout):
        timeout = self.get_backend_timeout(timeout)
        return None if timeout is None else time.monotonic() + timeout

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._live(key):
                return False
            self._store(key, value, timeout)
            return True

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if not self._live(key):
                return default
            self._data.move_to_end(key)
            return self._data[key][1]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._store(key, value, timeout)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if not self._live(key):
                return False
            self._data[key] = (self._expiry(timeout), self._data[key][1])
            return True

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._data.pop(key, None) is not None

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._live(key)

    def clear(self):
        with self._lock:
            self._data.clear()

    def _live(self, key) -> bool:
        entry = self._data.get(key)
        if entry is None:
            return False
        if entry[0] is not None and entry[0] < time.monotonic():
            del self._data[key]
            return False
        return True

    def _store(self, key, value, timeout) -> None:
        self._data[key] = (self._expiry(timeout), value)
        self._data.move_to_end(key)
        while len(self._data) > self._max_entries:
            self._data.popitem(last=False)
