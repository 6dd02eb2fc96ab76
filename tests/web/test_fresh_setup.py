"""`make run` on a fresh clone: the default SQLite database is created where nothing exists yet."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_creates_the_sqlite_database_in_a_missing_folder(tmp_path):
    var = tmp_path / "does" / "not" / "exist"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DTI_SQLITE_PATH")}
    # As `make run` does: a development server (DTI_DEBUG=1), which needs no DTI_SECRET_KEY.
    env.update(DTI_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="dti.site.settings", PYTHONPATH=str(ROOT), DTI_DEBUG="1")
    done = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (var / "dti.sqlite3").stat().st_size > 0
