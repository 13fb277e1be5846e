"""Every reader of a server's body on 4 MB (the client's cap) of the worst shapes we know, next
to an anchor: json.loads of a 4 MB JSON document, the least any reader of such a body must pay.

    python benchmarks/hostile_bodies.py [--runs 3] [--size BYTES] [--json]

Each parser × shape is timed `runs` times and its best kept (the machine is shared). The figure
with a target is the slowest parser on its worst shape; the catalogue is tests/hostile_bodies.py,
which tests/core/test_hostile_sizes.py also runs so that a regression fails instead of hanging.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench_support import REPO, Figure, report

sys.path.insert(0, str(REPO))
from tests.hostile_bodies import CLIENT_CAP_BYTES, PARSERS, SHAPES


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
    report(figures, argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
