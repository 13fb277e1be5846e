"""A sandbox for the benchmarks, in its own process: prints its base URL, serves until its
standard input closes.

    python benchmarks/sandbox_server.py [NAME[:key=value,...] ...]

e.g. `delay:seconds=3,endpoint=update` switches the sandbox's delay fault on for every update;
`batch_customers:count=1000` adds that many customers with one redemption each (batch.py).
"""

from __future__ import annotations

import sys

from desktop_app.sandbox import Sandbox

BATCH_MOBILE = "9197{:08d}"
BATCH_REDEMPTION = "B{:05d}"


def seed_batch_customers(sandbox: Sandbox, count: int) -> None:
    """Customer i (1..count): mobile 9197000000ii, one redemption B000ii, bill number old-i."""
    from datetime import datetime

    from desktop_app.sandbox.seed import StoredCustomer, StoredRedemption

    with sandbox.store.lock:
        for i in range(1, count + 1):
            customer = StoredCustomer(
                5_000_000 + i,
                BATCH_MOBILE.format(i),
                f"batch{i}@example.com",
                f"BATCH-{i:05d}",
                f"BCARD-{i:05d}",
                f"BCEXT-{i:05d}",
                "Batch",
                f"Customer {i}",
                100,
            )
            customer.redemptions.append(
                StoredRedemption(
                    60_000_000 + i,
                    BATCH_REDEMPTION.format(i),
                    f"EXT-B{i:05d}",
                    8000 + i,
                    f"old-{i}",
                    "outage",
                    "",
                    1.0,
                    datetime(2024, 5, 1, 12, 0),
                )
            )
            sandbox.store.customers.append(customer)


def parse_fault(text: str) -> tuple[str, dict[str, object]]:
    name, _, rest = text.partition(":")
    params: dict[str, object] = {}
    for pair in filter(None, rest.split(",")):
        key, _, value = pair.partition("=")
        params[key] = value if key == "endpoint" else float(value)
    return name, params


def main(argv: list[str]) -> int:
    with Sandbox() as sandbox:
        for text in argv:
            name, params = parse_fault(text)
            if name == "batch_customers":
                seed_batch_customers(sandbox, int(params["count"]))
            else:
                sandbox.set_fault(name, **params)
        print(sandbox.base_url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
