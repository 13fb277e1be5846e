"""The desk window against a fresh sandbox, built through `build_window` like the QA script does."""

from __future__ import annotations

import pytest

from desktop_app.sandbox import DEMO_USERNAME
from tests.ui.driver import Desk


@pytest.fixture
def open_desk(qtbot, tmp_path, sandbox):
    """Builds windows with `build_window(argv)`; each one is closed after the test and its
    background work drained, so no worker outlives the test."""
    from desktop_app.app import build_window

    windows = []

    def opener(
        *extra: str, username: str = DEMO_USERNAME, data_dir=None, connect: bool = True
    ) -> Desk:
        """`connect=False` leaves out --base-url/--username: the saved profiles decide."""
        connection = ["--base-url", sandbox.base_url, "--username", username] if connect else []
        argv = [*connection, "--data-dir", str(data_dir or tmp_path), *extra]
        window = build_window(argv)
        # Closed below, not by qtbot: a test that failed mid-send must not meet the window's
        # "an update is on its way" question at teardown, where nobody can answer it.
        windows.append(window)
        qtbot.waitExposed(window)
        return Desk(qtbot, window, sandbox)

    yield opener
    for window in windows:
        window.flows.stop_waiting()
        window.close()
        assert window.runner.wait_for_all(20000), "a background job outlived the test"


@pytest.fixture
def desk(open_desk) -> Desk:
    return open_desk()
