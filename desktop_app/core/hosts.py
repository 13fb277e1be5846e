"""Host names the desk treats specially."""

from __future__ import annotations

import ipaddress


def is_loopback(hostname: str) -> bool:
    """localhost, 127.0.0.0/8 and ::1: the only hosts plain http is allowed to."""
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False
