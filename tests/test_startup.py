"""Creating the app stays light: heavy libraries are imported where they are used.

Every CLI command, gunicorn worker and test process creates the app; pandas, geopandas,
folium, matplotlib, weasyprint, scipy, highspy and esda together cost seconds to import,
so no module that creating the app imports may import them at module level.
"""

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from pilot import create_app

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "pandas",
    "geopandas",
    "folium",
    "branca",
    "matplotlib",
    "weasyprint",
    "scipy",
    "highspy",
    "esda",
    "libpysal",
    "pyogrio",
    "pyproj",
    "openpyxl",
    "zxcvbn",
    "segno",
    "stdnum",
    "huey",
    "phonenumbers",  # pilot.services.pii imports it at the first screening
    "alembic",  # through Flask-Migrate: loaded by `flask db …` and upgrade() (schema_migrations)
)
PROBE = """
import json, sys
from pilot import create_app
app = create_app({"SECRET_KEY": "x", "PSEUDONYM_KEY": "y"})
app.test_client()  # the URL map and every blueprint are built
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _fresh_interpreter(
    code: str, tmp_path: Path, **settings: str | None
) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python; ``settings`` are environment variables (None: unset)."""
    env = {
        **os.environ,
        "PILOT_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}",
    }
    for name, value in settings.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip


def test_creating_the_app_imports_no_heavy_library(tmp_path):
    loaded = set(json.loads(_fresh_interpreter(PROBE, tmp_path).stdout.splitlines()[-1]))
    assert "flask" in loaded and "pilot" in loaded  # the probe really created the app
    assert sorted(loaded & set(HEAVY)) == []


def test_flask_help_lists_the_commands_without_heavy_imports(tmp_path):
    code = (
        "import sys, json\n"
        "from flask.cli import main\n"
        "sys.argv = ['flask', '--app', 'pilot', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n"
    )
    out = _fresh_interpreter(code, tmp_path).stdout
    for command in ("db", "imports", "reports", "dataset", "retention"):
        assert f"  {command} " in out
    loaded = set(json.loads(out.splitlines()[-1]))
    assert sorted(loaded & set(HEAVY)) == []


def test_the_built_app_is_frozen_for_the_collector_and_collection_resumes(tmp_path):
    code = (
        "import gc\n"
        "from pilot import create_app\n"
        "create_app({'SECRET_KEY': 'x', 'PSEUDONYM_KEY': 'y'})\n"
        "print(gc.isenabled(), gc.get_freeze_count())\n"
    )
    enabled, frozen = _fresh_interpreter(code, tmp_path).stdout.split()[-2:]
    assert enabled == "True"
    assert int(frozen) > 50_000  # the modules and objects of the built app


BLAS_THREADS = """
import json
import pilot
import numpy, scipy.linalg, scipy.sparse.linalg
from threadpoolctl import threadpool_info
print(json.dumps([pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]))
"""


def test_numerical_libraries_run_one_thread_per_process_unless_the_operator_sets_more(tmp_path):
    # unset in the child: this test process imported pilot, which set it in os.environ
    own = _fresh_interpreter(BLAS_THREADS, tmp_path, OPENBLAS_NUM_THREADS=None)
    pools = json.loads(own.stdout.splitlines()[-1])
    assert pools and set(pools) == {1}  # numpy's and scipy's OpenBLAS
    chosen = _fresh_interpreter(BLAS_THREADS, tmp_path, OPENBLAS_NUM_THREADS="2")
    assert set(json.loads(chosen.stdout.splitlines()[-1])) == {2}


def test_a_testing_app_is_not_frozen(app):
    before = gc.get_freeze_count()
    create_app({**app.config, "TESTING": True})
    assert gc.isenabled()
    assert gc.get_freeze_count() == before


def test_warming_up_a_worker_builds_every_api_validator():
    from pilot.api import schemas
    from pilot.warmup import warm_up

    warm_up()
    pending, built = [schemas.Schema], []
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        built.append(model.__pydantic_complete__)
    assert len(built) > 25 and all(built)
