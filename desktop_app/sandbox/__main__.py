"""`python -m desktop_app.sandbox [--port N]`: serve the sandbox until Ctrl+C."""

from __future__ import annotations

import argparse
import sys

from desktop_app.sandbox import (
    DEMO_PASSWORD,
    DEMO_PASSWORD_MD5,
    DEMO_USERNAME,
    NO_ACCESS_USERNAME,
    Sandbox,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_app.sandbox",
        description="Run the Capillary sandbox (a loopback stand-in of the two endpoints).",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    args = parser.parse_args(argv)
    try:
        sandbox = Sandbox(port=args.port).start()
    except OSError as error:
        print(f"Cannot listen on 127.0.0.1:{args.port}: {error}", file=sys.stderr)
        return 1
    print(f"Capillary sandbox at {sandbox.base_url}", flush=True)
    print(f"  till username: {DEMO_USERNAME}")
    print(f"  till password: {DEMO_PASSWORD}  (MD5 {DEMO_PASSWORD_MD5})")
    print(f"  a till without access (403/4000): {NO_ACCESS_USERNAME} / {DEMO_PASSWORD}")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        while not sandbox.stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("Stopping.")
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
