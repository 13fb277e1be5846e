"""The overall deadline must end an answer that trickles in slower than any per-phase timeout
notices, wherever the trickle is: in the body (covered through the window in
test_update_faults) or already in the status line and headers (here, at client level)."""

from __future__ import annotations

import threading

from desktop_app.core.client import CapillaryClient, Timeouts, md5_hex
from desktop_app.core.model import ApiFailure, Credentials, MetadataChange, ProblemKind
from tests.core.test_client import ASHA, by_id

OVERALL_S = 1.0
# Liveness bound, not a performance figure: three times the deadline, so a loaded machine
# cannot fail it, while a drip of the ~130-byte head at 0.25 s a byte lasts over 30 s.
GIVE_UP_S = 3 * OVERALL_S


def test_a_head_dripping_in_is_ended_by_the_overall_deadline(sandbox):
    client = CapillaryClient(
        sandbox.base_url,
        Credentials("store.server", md5_hex("server123")),
        timeouts=Timeouts(connect=0.5, read=1.0, overall=OVERALL_S),
    )
    sandbox.set_fault("slow_drip", endpoint="update", seconds_per_byte=0.25)
    failures: list[ApiFailure] = []

    def update() -> None:
        try:
            client.update_redemption(ASHA, by_id("NZVAt9"), MetadataChange(bill_number="drip"))
        except ApiFailure as failure:
            failures.append(failure)

    worker = threading.Thread(target=update, daemon=True)  # the sandbox's stop ends the drip
    worker.start()
    worker.join(GIVE_UP_S)
    assert not worker.is_alive(), "the update was still reading the answer's head"
    problem = failures[0].problem
    assert problem.kind is ProblemKind.TIMEOUT and problem.may_have_applied
    assert sandbox.update_count == 1
