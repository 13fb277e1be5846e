"""Start-up time and memory of the desk against two anchors: a bare PySide6 QMainWindow with a
label at the desk's size, and the desk's first screen written the obvious way (startup_naive.py).

    python benchmarks/startup.py [--runs 10] [--profile] [--json]

Each run starts a fresh process (offscreen Qt) and measures from the parent's start of the
process to the window's first paint followed by an idle event loop; the child also reports its
peak RSS then, and again once the work the window starts after its first paint is done (the
background warm-up of httpx, keyring and history; --demo's sandbox). Runs of the four kinds are
interleaved so drift on the machine hits them alike. The app's and the benchmarks' bytecode is
compiled first and the children run without PYTHONDONTWRITEBYTECODE, as an installed app does.
`--profile` adds where the desk's extra start-up time goes (imports and window construction).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_support import REPO, Figure, compile_bytecode, installed_app_env, median, report

HERE = Path(__file__).resolve().parent
KINDS = {
    "bare": ["startup_bare.py"],
    "naive": ["startup_naive.py"],
    "desk": ["startup_app.py", "--base-url", "http://127.0.0.1:9", "--username", "x"],
    "demo": ["startup_app.py", "--demo"],
}


def one_run(kind: str) -> dict[str, float]:
    script, *args = KINDS[kind]
    with tempfile.TemporaryDirectory() as data_dir:
        if kind not in ("bare", "naive"):
            args += ["--data-dir", data_dir]
        env = installed_app_env(BENCH_STARTED_NS=str(time.monotonic_ns()))
        done = subprocess.run(
            [sys.executable, str(HERE / script), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, list[dict[str, float]]]:
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for kind in KINDS:  # warm the OS file cache once, unmeasured
        one_run(kind)
    for _ in range(runs):
        for kind in KINDS:
            results[kind].append(one_run(kind))
    return results


def figures(results: dict[str, list[dict[str, float]]], runs: int) -> list[Figure]:
    def med(kind: str, key: str) -> float:
        return median([run[key] for run in results[kind]])

    def paint_to_idle(kind: str) -> float:
        return median([run["idle_ms"] - run["painted_ms"] for run in results[kind]])

    bare_ms, naive_ms, desk_ms, demo_ms = (
        med(k, "idle_ms") for k in ("bare", "naive", "desk", "demo")
    )
    bare_kb = med("bare", "rss_settled_kb")
    desk_idle_kb, desk_kb = med("desk", "rss_idle_kb"), med("desk", "rss_settled_kb")
    demo_idle_kb, demo_kb = med("demo", "rss_idle_kb"), med("demo", "rss_settled_kb")
    mib = 1024
    return [
        Figure("Start-up, bare QMainWindow (median)", round(bare_ms), "ms", "", f"{runs} runs"),
        Figure("Start-up, desk (median)", round(desk_ms), "ms", "", f"{runs} runs"),
        Figure(
            "Start-up, naive form of the same widgets (median)",
            round(naive_ms),
            "ms",
            "",
            "eager, plain Qt calls, SVG icons through QIcon",
        ),
        Figure("Start-up ratio desk / bare", round(desk_ms / bare_ms, 2), "x", "<= 1.5"),
        Figure("Start-up ratio desk / naive form", round(desk_ms / naive_ms, 2), "x", "<= 1.2"),
        Figure(
            "Start-up ratio desk --demo / bare",
            round(demo_ms / bare_ms, 2),
            "x",
            "<= 1.5",
            "the sandbox starts on a worker after the first paint",
        ),
        Figure(
            "Desk, first paint to idle (median)",
            round(paint_to_idle("desk"), 1),
            "ms",
            "",
            f"bare: {paint_to_idle('bare'):.1f} ms; the window's children painting after its own "
            "first paint (text, icons)",
        ),
        Figure("Peak RSS, bare QMainWindow", round(bare_kb / mib, 1), "MiB", ""),
        Figure(
            "Peak RSS, desk once shown",
            round(desk_idle_kb / mib, 1),
            "MiB",
            "",
            "before the background warm-up has loaded anything",
        ),
        Figure(
            "Peak RSS, desk after warm-up",
            round(desk_kb / mib, 1),
            "MiB",
            "",
            "httpx, keyring, history loaded",
        ),
        Figure("Memory ratio desk / bare (shown)", round(desk_idle_kb / bare_kb, 2), "x", "<= 1.5"),
        Figure("Memory ratio desk / bare (warmed up)", round(desk_kb / bare_kb, 2), "x", "<= 1.5"),
        Figure(
            "Memory ratio desk --demo / bare (shown)", round(demo_idle_kb / bare_kb, 2), "x", ""
        ),
        Figure(
            "Memory ratio desk --demo / bare (sandbox up, warmed up)",
            round(demo_kb / bare_kb, 2),
            "x",
            "",
        ),
    ]


BREAKDOWN = r"""
import sys, tempfile, time
t0 = time.perf_counter()
import desktop_app.app  # as python -m desktop_app: the app module first, Qt inside build_window
t1 = time.perf_counter()
window = desktop_app.app.build_window(
    ["--base-url", "http://127.0.0.1:9", "--username", "x", "--data-dir", tempfile.mkdtemp()])
t2 = time.perf_counter()
from PySide6 import QtCore
from PySide6.QtWidgets import QApplication
QApplication.processEvents()
t3 = time.perf_counter()
def line(what, seconds, note=""):
    print(f"  {what:<34}{1000 * seconds:6.0f} ms  {note}")
line("import desktop_app.app", t1 - t0)
line("build_window", t2 - t1, "(imports PySide6, as the bare window does, then the desk)")
line("first events (layout, paint)", t3 - t2)
heavy = [m for m in ("httpx", "keyring", "sqlite3", "desktop_app.sandbox") if m in sys.modules]
print(f"  loaded before the window shows: {heavy or 'none of httpx, keyring, sqlite3, sandbox'}")
built = "yes (~30 ms: find what touches Qt.*)" if "Qt" in QtCore.__dict__ else "no"
print(f"  PySide6 built the Qt namespace's ~90 enums: {built}")
window.shutdown()
"""


def profile() -> None:
    print("Where the desk's start-up goes (one run):")
    subprocess.run([sys.executable, "-c", BREAKDOWN], env=installed_app_env(), cwd=REPO, check=True)
    imports = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _APP_IMPORTS],
        capture_output=True,
        text=True,
        env=installed_app_env(),
        cwd=REPO,
        check=True,
    ).stderr
    rows = []
    after_qt = False
    for line in imports.splitlines():
        if not line.startswith("import time:"):
            continue
        self_us, cumulative_us, name = line.split(":", 1)[1].split("|")
        if name.strip() == "PySide6.QtWidgets":
            after_qt = True
        elif after_qt and self_us.strip().isdigit():
            rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    print("Slowest imports after PySide6.QtWidgets (self time, -X importtime):")
    for self_us, cumulative_us, name in sorted(rows, reverse=True)[:15]:
        print(f"  {self_us / 1000:6.1f} ms self {cumulative_us / 1000:7.1f} ms total  {name}")


_APP_IMPORTS = (
    "import desktop_app.app, desktop_app.core.profiles, PySide6.QtWidgets, "
    "desktop_app.ui.main_window, desktop_app.ui.profile_switcher"
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    print(f"({compile_bytecode()})", flush=True)
    results = measure(options.runs)
    report(figures(results, options.runs), argv)
    if options.profile:
        profile()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
