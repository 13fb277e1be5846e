"""Hosts: the one answer to "which host is this", and the hosts the desk treats specially."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def host_of(base_url: str) -> str:
    """The URL's host with its port, as the keyring account, the history and the window name it
    (the text itself when it is not a URL)."""
    try:
        netloc = urlsplit(base_url).netloc
    except ValueError:
        return base_url
    return netloc or base_url


def is_loopback(hostname: str) -> bool:
    """localhost, 127.0.0.0/8 and ::1: the only hosts plain http is allowed to."""
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False
