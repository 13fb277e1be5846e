"""A 1,000-row batch against a sandbox that adds 20 ms to every request, concurrency 4 (issue 14).

    python benchmarks/batch.py [--rows 1000] [--concurrency 4] [--json]

Set-up (not measured): a sandbox in another process with one customer and one redemption per row
(so each row costs exactly one lookup request and one PUT), and a CSV changing every row's bill
number. Measured:
1. the desk's batch run itself (desktop_app.desk.batch, as the command line runs it): wall time
   against the latency-bound ideal, rows x 2 requests x 20 ms / concurrency;
2. the same run from the window (Desk → Batch corrections…, a second file): the longest gap
   between two ticks of a 5 ms timer on the UI thread, from the click on Send until the last
   row is shown.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

from bench_support import REPO, Figure, report, sandbox_process
from sandbox_server import BATCH_MOBILE, BATCH_REDEMPTION

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(REPO))

LATENCY_S = 0.020
REQUESTS_PER_ROW = 2  # the lookup (one page: each customer has one redemption) and the PUT


def write_file(path: Path, rows: int, prefix: str) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["identifier_type", "identifier_value", "redemption_id", "bill_number"])
        for i in range(1, rows + 1):
            writer.writerow(
                ["mobile", BATCH_MOBILE.format(i), BATCH_REDEMPTION.format(i), f"{prefix}-{i}"]
            )
    return path


def desk_run(base_url: str, folder: Path, rows: int, concurrency: int) -> tuple[float, str]:
    from desktop_app.core.model import Credentials
    from desktop_app.core.paths import AppPaths
    from desktop_app.desk.batch import BatchRun, BatchSettings, read_batch_file, summary_text
    from desktop_app.desk.session import Connection, DeskServices
    from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME

    batch = read_batch_file(write_file(folder / "desk.csv", rows, "desk"))
    services = DeskServices(AppPaths.under(folder / "desk-data"))
    services.history()  # opened before the clock starts, as the command line does
    run = BatchRun(
        services,
        Connection("bench", base_url, DEMO_USERNAME),
        Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5),
        None,
        batch,
        BatchSettings(concurrency=concurrency),
    )
    started = time.perf_counter()
    result = run.run()
    elapsed = time.perf_counter() - started
    services.close()
    return elapsed, summary_text(result.results)


def serve_until(condition) -> None:
    """Runs the event loop as the app does (QEventLoop.exec lets the workers have the GIL;
    QTest.qWait holds it while it sleeps) until `condition()` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: condition() and loop.quit())
    check.start()
    loop.exec()
    check.stop()


def window_run(
    base_url: str, folder: Path, rows: int, concurrency: int
) -> tuple[float, float, str]:
    import keyring
    import keyring.backends.fail
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox
    from ui_stall import GapMeter, QtDriver

    from desktop_app.app import build_window
    from desktop_app.desk.batch import summary_text
    from desktop_app.sandbox import DEMO_PASSWORD, DEMO_USERNAME
    from tests.ui.driver import Desk

    keyring.set_keyring(keyring.backends.fail.Keyring())  # never the real keyring
    app = QApplication.instance() or QApplication([])
    window = build_window(
        ["--base-url", base_url, "--username", DEMO_USERNAME, "--data-dir", str(folder / "ui")]
    )
    desk = Desk(QtDriver, window)
    dialog = window.open_batch()
    dialog.concurrency.setValue(concurrency)
    dialog.open_file(write_file(folder / "window.csv", rows, "window"))
    QtDriver.waitUntil(lambda: dialog.model.rowCount() == rows, 20000)
    # The first run of this window asks for the password: do that outside the measurement.
    meter = GapMeter()
    dialog.send_button.click()
    QtDriver.waitUntil(lambda: dialog.findChild(QMessageBox, "batchConfirm") is not None)
    box = dialog.findChild(QMessageBox, "batchConfirm")
    send = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    send.click()
    desk.answer_credentials(DEMO_PASSWORD, remember=False)
    meter.start()
    started = time.perf_counter()
    serve_until(lambda: not dialog.running and len(dialog.model.results()) == rows)
    elapsed = time.perf_counter() - started
    meter.stop()
    QTest.qWait(50)
    summary = summary_text(dialog.model.results())
    dialog.close()
    window.close()
    app.processEvents()
    return meter.longest * 1000, elapsed, summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    ideal = options.rows * REQUESTS_PER_ROW * LATENCY_S / options.concurrency
    seed = f"batch_customers:count={options.rows}"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with sandbox_process(seed, f"delay:seconds={LATENCY_S}") as base_url:
            elapsed, summary = desk_run(base_url, folder, options.rows, options.concurrency)
        with sandbox_process(seed, f"delay:seconds={LATENCY_S}") as base_url:
            stall_ms, window_s, window_summary = window_run(
                base_url, folder, options.rows, options.concurrency
            )
    expected = f"{options.rows} applied"
    if summary != expected or window_summary != expected:
        print(f"the runs did not go as planned: {summary!r}, {window_summary!r}", file=sys.stderr)
        return 1
    report(
        [
            Figure(
                "Batch: wall time / latency-bound ideal",
                round(elapsed / ideal, 2),
                "x",
                "<= 1.5",
                f"{options.rows} rows, concurrency {options.concurrency}, {elapsed:.1f} s vs "
                f"{ideal:.1f} s ideal ({REQUESTS_PER_ROW} requests x {LATENCY_S * 1000:.0f} ms "
                "per row); every row applied",
            ),
            Figure(
                "Batch in the window: longest event-loop gap",
                round(stall_ms, 1),
                "ms",
                "<= 50",
                f"the same run from Desk → Batch corrections… ({window_s:.1f} s, "
                f"{window_s / ideal:.2f} x the ideal), ticks of 5 ms on the UI thread",
            ),
        ],
        argv,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
