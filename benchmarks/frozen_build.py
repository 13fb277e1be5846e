"""The frozen Linux build beside the source run: size, start-up and memory (issue 12).

    python benchmarks/frozen_build.py [--runs 5] [--label NAME=ONEDIR ...]

Default: the onedir packaging/build_linux.sh leaves in dist/redemption-desk. Give several
`--label name=path` to put builds side by side (e.g. one built from an older commit).

For each build: the onedir's size and its .tar.gz size (`tar -czf`, as build_linux.sh makes it);
then, interleaved with runs from source (`python -m desktop_app`, bytecode compiled), the time
from starting the process to the window built and to the warm-up done, and the peak RSS once the
process is idle after the warm-up. Neither run is instrumented: "window built" is when the log file
appears less the fixed delay after which the window opens it (ui/log_file.OPEN_DELAY_MS), "warmed
up" is when the history database exists and the process has used no CPU for 0.3 s. Each run ends
with SIGTERM, and the exit status is shown (0 = a clean shutdown).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_support import REPO, compile_bytecode, installed_app_env, median

LOG_OPEN_DELAY_S = 0.5  # desktop_app/ui/log_file.OPEN_DELAY_MS
TIMEOUT_S = 60.0
IDLE_SPAN_S = 0.3
POLL_S = 0.01
APP_ARGS = ["--base-url", "http://127.0.0.1:9", "--username", "bench"]


def megabytes(path: Path) -> float:
    return int(subprocess.check_output(["du", "-sb", str(path)]).split()[0]) / 1e6


def archive_megabytes(onedir: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder, "build.tar.gz")
        subprocess.run(
            ["tar", "-czf", str(archive), "-C", str(onedir.parent), onedir.name], check=True
        )
        return archive.stat().st_size / 1e6


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def wait_for(condition, what: str, process: subprocess.Popen) -> float:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if process.poll() is not None:
            raise RuntimeError(f"the app exited ({process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(POLL_S)
    return time.monotonic()


def one_run(command: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        data = Path(data_dir)
        env = installed_app_env(QT_QPA_PLATFORM="offscreen")
        started = time.monotonic()
        process = subprocess.Popen(
            [*command, *APP_ARGS, "--data-dir", data_dir],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            logged = wait_for(lambda: any(data.glob("logs/*.log")), "the log file", process)
            wait_for(lambda: (data / "history.sqlite3").exists(), "the history", process)
            last = cpu_ticks(process.pid)
            while True:
                time.sleep(IDLE_SPAN_S)
                now = cpu_ticks(process.pid)
                if now == last:
                    break
                last = now
            idle = time.monotonic() - IDLE_SPAN_S
            rss = peak_rss_mib(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
    return {
        "built_s": logged - started - LOG_OPEN_DELAY_S,
        "warm_s": idle - started,
        "rss_mib": rss,
        "sigterm_exit": code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--label", action="append", default=[], metavar="NAME=ONEDIR")
    options = parser.parse_args()
    builds = dict(item.split("=", 1) for item in options.label) or {
        "this build": str(REPO / "dist" / "redemption-desk")
    }
    compile_bytecode()
    commands = {"source": [sys.executable, "-m", "desktop_app"]}
    commands.update({name: [str(Path(path, "redemption-desk"))] for name, path in builds.items()})
    for command in commands.values():  # warm the file cache, unmeasured
        one_run(command)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(options.runs):
        for name, command in commands.items():
            runs[name].append(one_run(command))

    def med(name: str, key: str) -> float:
        return median([run[key] for run in runs[name]])

    def ratio(name: str, key: str) -> str:
        return f"{med(name, key) / med('source', key):.2f}x"

    print(f"{options.runs} runs each, interleaved; offscreen Qt; {os.cpu_count()} CPUs")
    header = f"{'':<34}" + "".join(f"{name:>16}" for name in builds)
    print(header)
    rows = [
        ("onedir (MB)", lambda n, p: f"{megabytes(Path(p)):.1f}"),
        ("tar.gz (MB)", lambda n, p: f"{archive_megabytes(Path(p)):.1f}"),
        ("window built, frozen / source", lambda n, p: ratio(n, "built_s")),
        ("warmed up, frozen / source", lambda n, p: ratio(n, "warm_s")),
        ("window built, frozen (ms)", lambda n, p: f"{med(n, 'built_s') * 1000:.0f}"),
        ("warmed up, frozen (ms)", lambda n, p: f"{med(n, 'warm_s') * 1000:.0f}"),
        ("peak RSS after warm-up (MiB)", lambda n, p: f"{med(n, 'rss_mib'):.1f}"),
        ("exit status on SIGTERM", lambda n, p: f"{runs[n][-1]['sigterm_exit']}"),
    ]
    for title, cell in rows:
        print(f"{title:<34}" + "".join(f"{cell(n, p):>16}" for n, p in builds.items()))
    print(
        f"source: window built {med('source', 'built_s') * 1000:.0f} ms, warmed up "
        f"{med('source', 'warm_s') * 1000:.0f} ms, peak RSS {med('source', 'rss_mib'):.1f} MiB, "
        f"exit on SIGTERM {runs['source'][-1]['sigterm_exit']}"
    )


if __name__ == "__main__":
    main()
