"""Runs every benchmark, each in its own process, then prints the machine and a results table
(Markdown, ready for README.md and docs/benchmarks.md).

    python benchmarks/run_all.py [--quick]

`--quick` uses fewer runs and a smaller history: a smoke run, not figures to publish.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench_support import REPO, Figure, machine, offscreen_env, read_figures

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "startup.py": (["--runs", "10"], ["--runs", "2"]),
    "request_overhead.py": (["--runs", "200"], ["--runs", "20"]),
    "ui_stall.py": ([], ["--entries", "5000"]),
    "history.py": ([], ["--entries", "5000"]),
    "team_history.py": ([], ["--rows", "50000"]),
    "batch.py": ([], ["--rows", "200"]),
    "hostile_bodies.py": ([], ["--runs", "1"]),
}


def run(script: str, args: list[str]) -> list[Figure]:
    print(f"\n## {script} {' '.join(args)}", flush=True)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args, "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=offscreen_env(),
    )
    print("\n".join(line for line in done.stdout.splitlines() if not line.startswith("FIGURES")))
    if done.returncode != 0:
        print(f"{script} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    print(f"({time.monotonic() - started:.0f} s)", flush=True)
    return read_figures(done.stdout)


def table(results: dict[str, list[Figure]]) -> str:
    rows = ["| benchmark | figure | value | target | |", "|---|---|---|---|---|"]
    for script, figures in results.items():
        for figure in figures:
            value = f"{figure.value:g} {figure.unit}".strip()
            rows.append(
                f"| {script} | {figure.name} | {value} | {figure.target} | {figure.verdict} |"
            )
    return "\n".join(rows)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = {
        script: run(script, quick_args if quick else full_args)
        for script, (full_args, quick_args) in BENCHMARKS.items()
        if (HERE / script).exists()
    }
    print("\n## Machine\n")
    for key, value in machine().items():
        print(f"- {key}: {value}")
    print(f"- load average (1 min) when the run started: {load:.2f}")
    print("\n## Results\n")
    print(table(results))
    missing = [script for script, figures in results.items() if not figures]
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
