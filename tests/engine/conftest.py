"""Engine tests: shared builders live in ``helpers.py`` (plain functions, no mocks)."""
