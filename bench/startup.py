"""Benchmark: start-up of the CLI, ``flask --app pilot --help``, warm and on a fresh install.

    .venv/bin/python bench/startup.py [--runs 5]

- ``warm``: bytecode present and the files in the OS cache: one run to warm up, then the
  median of ``--runs``;
- ``fresh_compiled``: a fresh copy of ``pilot`` and ``gemeenten`` (no ``__pycache__``),
  compiled with ``compileall`` as ``make setup`` does, then its first run (median over
  ``--runs`` fresh copies);
- ``fresh_source``: a fresh copy without bytecode, first run (Python compiles while it
  imports): the worst case, if the install step were skipped.
The copies come first on ``PYTHONPATH``, so they are what the command imports (checked).
Third-party packages keep the bytecode the lock-file install compiled. Prints the load
average; ends with ``RESULT name=value ...``.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")
PACKAGES = ("pilot", "gemeenten")


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def run(env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run([FLASK, "--app", "pilot", "--help"], env=env, check=True,
                   capture_output=True, cwd=env["PILOT_INSTANCE_PATH"])  # fmt: skip
    return time.perf_counter() - t0


def fresh_copy(compiled: bool) -> tuple[Path, dict]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *PACKAGES],
                       cwd=tmp, check=True)  # fmt: skip
    (tmp / "instance").mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp), "PILOT_INSTANCE_PATH": str(tmp / "instance")}
    where = subprocess.run(
        [sys.executable, "-c", "import pilot; print(pilot.__file__)"],
        env=env, capture_output=True, text=True, check=True, cwd=tmp / "instance",
    ).stdout  # fmt: skip
    assert where.startswith(str(tmp)), where
    return tmp, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    instance = Path(tempfile.mkdtemp(prefix="bench-startup-instance-"))
    env = {**os.environ, "PILOT_INSTANCE_PATH": str(instance)}
    run(env)
    results["warm_s"] = statistics.median(run(env) for _ in range(args.runs))
    print(f"warm            {results['warm_s']:.3f} s   {load()}", flush=True)
    for name, compiled in (("fresh_compiled", True), ("fresh_source", False)):
        times = []
        for _ in range(args.runs):
            tmp, fresh_env = fresh_copy(compiled)
            times.append(run(fresh_env))
            shutil.rmtree(tmp)
        results[f"{name}_s"] = statistics.median(times)
        print(f"{name:<15} {results[f'{name}_s']:.3f} s   {load()}", flush=True)
    shutil.rmtree(instance)
    print("RESULT " + " ".join(f"{k}={v:.3f}" for k, v in results.items()))


if __name__ == "__main__":
    main()
