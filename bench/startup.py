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
Third-party packages keep the bytecode the lock-file install compiled. Prints wall and
CPU time (user + system of the command: what the load of others does not inflate much) and
the load average; ends with ``RESULT name=value ...``.
"""

import argparse
import os
import resource
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


CPU: list[float] = []  # CPU seconds (user + system) of each run, beside the wall time


def run(env: dict) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([FLASK, "--app", "pilot", "--help"], env=env, check=True,
                   capture_output=True, cwd=env["PILOT_INSTANCE_PATH"])  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


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
    CPU.clear()
    results["warm_s"] = statistics.median(run(env) for _ in range(args.runs))
    results["warm_cpu_s"] = statistics.median(CPU)
    print(f"warm            {results['warm_s']:.3f} s  cpu {results['warm_cpu_s']:.3f} s   "
          f"{load()}", flush=True)  # fmt: skip
    for name, compiled in (("fresh_compiled", True), ("fresh_source", False)):
        times = []
        CPU.clear()
        for _ in range(args.runs):
            tmp, fresh_env = fresh_copy(compiled)
            times.append(run(fresh_env))
            shutil.rmtree(tmp)
        results[f"{name}_s"] = statistics.median(times)
        results[f"{name}_cpu_s"] = statistics.median(CPU)
        print(f"{name:<15} {results[f'{name}_s']:.3f} s  cpu {results[f'{name}_cpu_s']:.3f} s   "
              f"{load()}", flush=True)  # fmt: skip
    shutil.rmtree(instance)
    print("RESULT " + " ".join(f"{k}={v:.3f}" for k, v in results.items()))


if __name__ == "__main__":
    main()
