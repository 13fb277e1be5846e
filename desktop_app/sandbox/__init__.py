"""A loopback stand-in of Capillary's two endpoints (see docs CAPILLARY_API.md), for the demo
mode and the tests. Standard library only; never imported by `desktop_app.core` or the UI."""

from desktop_app.sandbox.faults import FAULT_NAMES
from desktop_app.sandbox.received import ReceivedRequest
from desktop_app.sandbox.seed import (
    DEMO_PASSWORD,
    DEMO_PASSWORD_MD5,
    DEMO_USERNAME,
    NO_ACCESS_USERNAME,
)
from desktop_app.sandbox.server import Sandbox

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PASSWORD_MD5",
    "DEMO_USERNAME",
    "FAULT_NAMES",
    "NO_ACCESS_USERNAME",
    "ReceivedRequest",
    "Sandbox",
]
