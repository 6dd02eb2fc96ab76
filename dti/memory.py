"""Keep freed memory for the next scoring run instead of handing it back to the kernel.

A national run allocates about 30 MB of result and scratch arrays.  glibc's malloc returns
freed memory at the top of the heap to the kernel almost at once (M_TOP_PAD defaults to
128 KiB), so the next run page-faults every one of those pages back in: about 8,000 faults,
a third of the run's time (bench/engine.py).  Raising M_TOP_PAD keeps that memory in the
process.

This is a setting of the whole process, so the engine (a library) never makes it: the
programs that own their process do, once, at start — the ``dti`` command (``cli.main``), the
web application's WSGI entry point (``dti.site.wsgi``, which ``runserver`` and gunicorn load)
and the benchmarks.  ``DTI_MALLOC_TOP_PAD`` sets the amount in bytes, and ``0`` leaves the
allocator alone; other C libraries are left alone too.  A program embedding the engine can
get the same from glibc itself: ``GLIBC_TUNABLES=glibc.malloc.top_pad=67108864``.
"""

from __future__ import annotations

import ctypes
import os
import sys

DEFAULT_TOP_PAD = 64 * 1024 * 1024
_M_TOP_PAD = -2  # from glibc's malloc.h
_outcome: bool | None = None  # asked already: what glibc answered


def keep_freed_memory() -> bool:
    """Ask glibc to keep up to ``DTI_MALLOC_TOP_PAD`` bytes of freed heap; True if it agreed."""
    global _outcome
    if _outcome is None:
        _outcome = _ask()
    return _outcome


def _ask() -> bool:
    try:
        pad = int(os.environ.get("DTI_MALLOC_TOP_PAD", DEFAULT_TOP_PAD))
    except ValueError:
        pad = DEFAULT_TOP_PAD
    if pad <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        if not hasattr(libc, "gnu_get_libc_version"):  # musl and others: not glibc's tunables
            return False
        return bool(libc.mallopt(_M_TOP_PAD, min(pad, 2**31 - 1)))
    except (OSError, AttributeError):
        return False
