"""A whole session — lookups, an update, a 401 and the re-prompt — then every file under
--data-dir is read: no password, no digest and no Basic token may be anywhere in them."""

from __future__ import annotations

import base64
import hashlib
import logging

from desktop_app.core.credentials import SERVICE
from desktop_app.core.logging_setup import configure_logging
from desktop_app.core.paths import AppPaths
from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME
from tests.ui.driver import PASSWORD

ASHA_MOBILE = "919800000001"
WRONG_PASSWORD = "wrong-pass-7"


def secret_forms(password: str) -> list[str]:
    digest = hashlib.md5(password.encode()).hexdigest()
    token = base64.b64encode(f"{DEMO_USERNAME}:{digest}".encode()).decode()
    return [password, digest, digest.upper(), token, f"Basic {token}"]


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le")]


def test_a_whole_session_leaves_no_secret_in_any_file(open_desk, tmp_path, memory_keyring):
    data_dir = tmp_path / "desk-data"
    # The log at its most talkative, in the folder the app uses, so the log is scanned too.
    log = configure_logging(AppPaths.under(data_dir).log_dir, logging.DEBUG)
    try:
        desk = open_desk(data_dir=data_dir)

        # A wrong password first: the till says 401 and the desk asks again.
        desk.fill_lookup(ASHA_MOBILE, "NZVAt9")
        desk.click(desk.find("lookupButton"))
        desk.answer_credentials(WRONG_PASSWORD)
        desk.answer_credentials(PASSWORD)
        desk.wait_idle()
        assert desk.label("summaryRedemptionId") == "NZVAt9"

        desk.type("billNumberEdit", "bill-new-77")
        desk.send()
        assert desk.banner == "Update applied"

        # The till rejects the saved credentials once: a 401, a re-prompt, then it works.
        desk.sandbox.set_fault("xml_401", endpoint="lookup", times=1)
        desk.look_up(ASHA_MOBILE, "sTDVyi", password=PASSWORD)
        assert desk.label("summaryRedemptionId") == "sTDVyi"

        window = desk.window
        window.close()
        assert window.runner.wait_for_all(20000)
    finally:
        logging.getLogger().removeHandler(log.handler)
        log.handler.close()

    # The secrets the scan looks for are the ones that really travelled.
    token = base64.b64encode(f"{DEMO_USERNAME}:{DEMO_PASSWORD_MD5}".encode()).decode()
    sent = {
        r.headers.get("Authorization") or r.headers.get("authorization")
        for r in desk.sandbox.received
    }
    assert f"Basic {token}" in sent
    assert list(memory_keyring.entries.items()) == [
        ((SERVICE, f"{window.connection.host}|{DEMO_USERNAME}"), DEMO_PASSWORD_MD5)
    ]

    files = [p for p in data_dir.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert "history.sqlite3" in names
    assert "redemption-desk.log" in names
    contents = {p: p.read_bytes() for p in files}
    assert any(b"NZVAt9" in data for data in contents.values())  # the session was recorded

    leaks = [
        f"{path.relative_to(data_dir)} holds {secret!r}"
        for path, data in contents.items()
        for secret in secret_forms(PASSWORD) + secret_forms(WRONG_PASSWORD)
        if any(form in data for form in encodings(secret))
    ]
    assert leaks == []
