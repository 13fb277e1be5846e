"""What the desk's client adds to an update, against a raw httpx PUT of the same body (issue 7).

    python benchmarks/request_overhead.py [--runs 200] [--json]

Both talk to one sandbox running in another process, over one kept-alive connection each (the
client's shared httpx.Client; a raw httpx.Client made once). Calls alternate, so drift on the
machine hits both alike. The overhead is the difference of the medians.
"""

from __future__ import annotations

import argparse
import sys
import time

import httpx
from bench_support import Figure, median, percentile, report, sandbox_process

from desktop_app.core.client import CapillaryClient, basic_token
from desktop_app.core.model import Credentials, Entity, KeyKind, MetadataChange, RedemptionKey
from desktop_app.core.update_request import UPDATE_PATH, build_update_body, encode_body
from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME

ASHA = Entity("CUSTOMER", "mobile", "919800000001")
KEY = RedemptionKey(KeyKind.REDEMPTION_ID, "NZVAt9")
WARM_UP_CALLS = 20


def measure(base_url: str, runs: int) -> tuple[list[float], list[float]]:
    credentials = Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5)
    desk = CapillaryClient(base_url, credentials)
    raw = httpx.Client()
    headers = {
        "Authorization": basic_token(credentials),
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def desk_call(change: MetadataChange, body: bytes) -> None:
        desk.update_redemption(ASHA, KEY, change)  # builds, checks and encodes the body itself

    def raw_call(change: MetadataChange, body: bytes) -> None:
        response = raw.put(base_url + UPDATE_PATH, content=body, headers=headers)
        response.raise_for_status()
        response.json()

    desk_ms: list[float] = []
    raw_ms: list[float] = []
    for index in range(WARM_UP_CALLS + runs):
        change = MetadataChange(bill_number=f"bench-{index}")
        body = encode_body(build_update_body(ASHA, KEY, change))
        for call, times in ((desk_call, desk_ms), (raw_call, raw_ms)):
            started = time.perf_counter()
            call(change, body)
            if index >= WARM_UP_CALLS:
                times.append((time.perf_counter() - started) * 1000)
    raw.close()
    return desk_ms, raw_ms


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    with sandbox_process() as base_url:
        desk_ms, raw_ms = measure(base_url, options.runs)
    added = median(desk_ms) - median(raw_ms)
    report(
        [
            Figure("Update, raw httpx PUT (median)", round(median(raw_ms), 3), "ms", "",
                   f"p95 {percentile(raw_ms, 0.95):.3f} ms, {options.runs} runs"),
            Figure("Update, desk client (median)", round(median(desk_ms), 3), "ms", "",
                   f"p95 {percentile(desk_ms, 0.95):.3f} ms, {options.runs} runs"),
            Figure("Update, added by the desk client (median)", round(added, 3), "ms", "<= 2"),
        ],
        argv,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
