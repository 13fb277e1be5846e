"""Test-wide set-up: Qt offscreen, and no test ever touches the real user's files."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture
def sandbox():
    """A fresh sandbox server on loopback, with freshly seeded data, for one test."""
    from desktop_app.sandbox import Sandbox

    with Sandbox() as server:
        yield server
