"""What every benchmark script shares: figures with targets, the machine they ran on, and a
sandbox in its own process (so its threads never compete with the measured process for the GIL).

Each script prints its figures for people, and with `--json` also one last line that
`run_all.py` reads to build the results table.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
JSON_MARKER = "FIGURES "


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str  # e.g. "<= 1.5"; "" for a figure shown for context only
    detail: str = ""

    @property
    def verdict(self) -> str:
        if not self.target:
            return ""
        operator, limit = self.target.split()
        within = self.value <= float(limit) if operator == "<=" else self.value >= float(limit)
        return "met" if within else "MISSED"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(figures: Sequence[Figure], argv: Sequence[str]) -> None:
    for figure in figures:
        target = f"  (target {figure.target}: {figure.verdict})" if figure.target else ""
        detail = f"  [{figure.detail}]" if figure.detail else ""
        print(f"{figure.name}: {figure.value:g} {figure.unit}{target}{detail}")
    if "--json" in argv:
        print(JSON_MARKER + json.dumps([asdict(f) for f in figures]), flush=True)


def read_figures(output: str) -> list[Figure]:
    for line in reversed(output.splitlines()):
        if line.startswith(JSON_MARKER):
            return [Figure(**item) for item in json.loads(line[len(JSON_MARKER) :])]
    return []


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line.strip()
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    import httpx
    import PySide6
    from PySide6.QtCore import qVersion

    memory_kb = _first_line("/proc/meminfo", "MemTotal")
    memory = (
        f"{int(memory_kb.split()[0]) / 1024 / 1024:.1f} GiB" if memory_kb != "unknown" else "?"
    )
    os_name = _first_line("/etc/os-release", "PRETTY_NAME=").split("=", 1)[-1].strip('"')
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0),
        "CPU": _first_line("/proc/cpuinfo", "model name"),
        "RAM": memory,
        "OS": f"{os_name}, kernel {platform.release()} ({platform.machine()})",
        "Python": platform.python_version(),
        "PySide6": f"{PySide6.__version__} (Qt {qVersion()})",
        "httpx": httpx.__version__,
    }


def offscreen_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}


def installed_app_env(**extra: str) -> dict[str, str]:
    """offscreen_env for a process measured as an installed app runs: with its bytecode.

    A shell that sets PYTHONDONTWRITEBYTECODE would make every changed module be compiled again
    in every run, a cost no installed copy (pip or PyInstaller ship .pyc files) ever pays.
    """
    env = offscreen_env(**extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_bytecode() -> str:
    """Compiles the app and the benchmarks (as an install does); says what was done."""
    folders = [str(REPO / "desktop_app"), str(REPO / "benchmarks")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)
    return (
        "bytecode compiled first (python -m compileall desktop_app benchmarks) and "
        "PYTHONDONTWRITEBYTECODE unset for the measured processes, as an installed app has its "
        ".pyc files"
    )


@contextmanager
def sandbox_process(*faults: str) -> Iterator[str]:
    """A sandbox served by another process; yields its base URL. Faults as NAME[:k=v,...]
    (see sandbox_server.py), switched on from the first request."""
    command = [sys.executable, str(REPO / "benchmarks" / "sandbox_server.py"), *faults]
    server = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        if not base_url.startswith("http://"):
            raise RuntimeError(f"the sandbox did not start: {base_url!r}")
        yield base_url
    finally:
        assert server.stdin is not None
        server.stdin.close()  # the server stops when its stdin closes
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
