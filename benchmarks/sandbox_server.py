"""A sandbox for the benchmarks, in its own process: prints its base URL, serves until its
standard input closes.

    python benchmarks/sandbox_server.py [NAME[:key=value,...] ...]

e.g. `delay:seconds=3,endpoint=update` switches the sandbox's delay fault on for every update.
"""

from __future__ import annotations

import sys

from desktop_app.sandbox import Sandbox


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
            sandbox.set_fault(name, **params)
        print(sandbox.base_url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
