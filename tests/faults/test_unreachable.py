"""Servers the desk cannot talk to: refused, unknown name, untrusted certificate, no accept.

Each is looked up and sent to through the window: the agent reads why, in words; the update is
recorded as failed (nothing left the machine); then the same window, switched to a working
till, looks up and updates normally.
"""

from __future__ import annotations

import socket

import pytest

from desktop_app.core.history import Outcome
from tests.faults.flows import newest_entry, reconnect_to_sandbox, send_without_lookup, still_works
from tests.ui.driver import PASSWORD

# RFC 2606: ".invalid" never resolves, so the lookup fails here without any outside traffic.
UNRESOLVABLE_URL = "https://eu.api.redemption-desk.invalid"


@pytest.fixture
def unreachable(request, refused_url):
    return {
        "refused": lambda: refused_url,
        "dns": lambda: UNRESOLVABLE_URL,
        "tls": lambda: request.getfixturevalue("untrusted_tls_url"),
        "connect-timeout": lambda: request.getfixturevalue("unaccepting_url"),
    }[request.param]()


@pytest.mark.parametrize(
    ("unreachable", "says"),
    [
        ("refused", ["refused the connection", "Nothing was sent"]),
        ("dns", ["name could not be found (DNS)", "Nothing was sent"]),
        ("tls", ["certificate could not be verified", "corporate network", "proxy"]),
        ("connect-timeout", ["did not accept the connection in time", "Nothing was sent"]),
    ],
    indirect=["unreachable"],
)
def test_an_unreachable_server_is_explained_and_the_desk_goes_on(open_desk, unreachable, says):
    desk = open_desk("--base-url", unreachable)

    desk.look_up("919800000001", "NZVAt9", password=PASSWORD)
    for words in says:
        assert words in desk.label("summaryMessage"), desk.label("summaryMessage")

    send_without_lookup(desk)
    assert desk.banner.startswith("Update failed — "), desk.banner
    for words in says:
        assert words in desk.banner, desk.banner
    entry = newest_entry(desk)
    assert (entry.kind, entry.outcome) == ("update", Outcome.FAILED)
    assert desk.edit("purposeEdit").text() == "card fix"  # kept for a retry

    reconnect_to_sandbox(desk)
    still_works(desk, password=PASSWORD)


def test_the_unresolvable_name_really_does_not_resolve_here():
    """Guards the DNS case above: were `.invalid` ever answered, that test would mean nothing."""
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("eu.api.redemption-desk.invalid", 443)
