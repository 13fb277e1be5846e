"""Every reader of a server's body on 4 MB (the client's cap) of the worst shapes we know, next
to an anchor: json.loads of a 4 MB JSON document, the least any reader of such a body must pay.

    python benchmarks/hostile_bodies.py [--runs 3] [--size BYTES] [--json]

Each parser × shape is timed `runs` times and its best kept (the machine is shared). The figure
with a target is the slowest parser on its worst shape; the catalogue is tests/hostile_bodies.py,
which tests/core/test_hostile_sizes.py also runs so that a regression fails instead of hanging.

The UI-thread figures time the response panel showing a 4 MB answer: rendering what the update's
job prepared (what the desk does) beside parsing and rendering it there (what it did before).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial

from bench_support import REPO, Figure, report

sys.path.insert(0, str(REPO))
from tests.hostile_bodies import CLIENT_CAP_BYTES, PARSERS, SHAPES

# The slowest shape to parse for the Fields table, and a plain JSON answer of the same size
# with one long value.
PANEL_BODIES: dict[str, Callable[[int], str]] = {
    "many strings, one lone surrogate": SHAPES["many strings, one lone surrogate"],
    "plain JSON": lambda n: json.dumps({"billId": 235, "notes": "n" * (n - 40)}),
}


def best_ms(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=CLIENT_CAP_BYTES)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)

    anchor_text = json.dumps({"rows": [{"id": n, "name": f"row {n}"} for n in range(10**6)]})
    anchor_text = anchor_text[: options.size - 2]
    anchor_text = anchor_text[: anchor_text.rindex("}") + 1] + "]}"
    anchor = best_ms(lambda: json.loads(anchor_text), options.runs)

    worst: dict[str, tuple[float, str]] = {}
    for shape_name, build in SHAPES.items():
        body = build(options.size)
        for parser_name, parse in PARSERS.items():
            ms = best_ms(lambda parse=parse, body=body: parse(body), options.runs)
            if ms > worst.get(parser_name, (-1.0, ""))[0]:
                worst[parser_name] = (ms, shape_name)
    megabytes = options.size / (1024 * 1024)
    figures = [
        Figure(f"Anchor: json.loads of {megabytes:.0f} MB of JSON", round(anchor, 1), "ms", "")
    ]
    for parser_name, (ms, shape_name) in sorted(worst.items(), key=lambda item: -item[1][0]):
        figures.append(Figure(f"{parser_name}, worst shape", round(ms, 1), "ms", "", shape_name))
    slowest_parser, (slowest_ms, slowest_shape) = max(worst.items(), key=lambda i: i[1][0])
    figures.append(
        Figure(
            f"Slowest body parser on {megabytes:.0f} MB",
            round(slowest_ms, 1),
            "ms",
            "<= 200",
            f"{slowest_parser} on {slowest_shape}; {slowest_ms / anchor:.1f}x the anchor",
        )
    )
    figures += ui_thread_figures(options.size, options.runs)
    report(figures, argv)
    return 0


def ui_thread_figures(size: int, runs: int) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.model import UpdateResult
    from desktop_app.desk.answer_view import prepare_success
    from desktop_app.ui.response_panel import Exchange, ResponsePanel

    app = QApplication.instance() or QApplication([])
    panel = ResponsePanel()
    megabytes = size / (1024 * 1024)
    figures = []
    for shape_name, build in PANEL_BODIES.items():
        body = build(size)
        result = UpdateResult(raw=body)
        exchange = Exchange("{}", "curl …", body, 200)
        answer = prepare_success(result)  # on the job's worker thread in the desk
        before = best_ms(
            lambda e=exchange, r=result: panel.show_success(e, r, prepare_success(r)), runs
        )
        now = best_ms(partial(panel.show_success, exchange, result, answer), runs)
        figures.append(
            Figure(
                f"UI thread, answer of {megabytes:.0f} MB ({shape_name}), parsed and rendered",
                round(before, 1),
                "ms",
                "",
                "before: the panel parsed the body",
            )
        )
        figures.append(
            Figure(
                f"UI thread, answer of {megabytes:.0f} MB ({shape_name}), prepared, rendered",
                round(now, 1),
                "ms",
                "",
                f"now: the job parses it; {before - now:.1f} ms off the UI thread",
            )
        )
    panel.deleteLater()
    app.processEvents()
    return figures


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
