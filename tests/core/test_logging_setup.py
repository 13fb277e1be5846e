"""What reaches the log file never holds the till password, its digest or the Basic token."""

import base64
import logging

import pytest

from desktop_app.core.logging_setup import (
    LOG_FILE_NAME,
    RedactingFilter,
    Secret,
    configure_logging,
    redact,
)
from desktop_app.core.paths import AppPaths

PASSWORD = "server123"
DIGEST = "8a16a6b70505eb1f1ff7cdc0cd5559a7"
TOKEN = base64.b64encode(f"store.server:{DIGEST}".encode()).decode()


@pytest.fixture
def log_file(tmp_path):
    setup = configure_logging(AppPaths.under(tmp_path).log_dir)
    yield setup.path
    logging.getLogger().removeHandler(setup.handler)
    setup.handler.close()


def written(path):
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_the_log_file_lives_in_the_log_folder_and_gets_ordinary_messages(tmp_path, log_file):
    logging.getLogger("desktop_app.test").info("lookup of %s took %d ms", "NZVAt9", 42)

    assert log_file == tmp_path / "logs" / LOG_FILE_NAME
    assert "lookup of NZVAt9 took 42 ms" in written(log_file)


def test_tokens_digests_and_marked_secrets_never_reach_the_file(log_file):
    log = logging.getLogger("desktop_app.test")
    log.info("sending Authorization: Basic %s", TOKEN)
    log.info("headers %s", {"Authorization": f"Basic {TOKEN}", "Accept": "application/json"})
    log.info("digest %s for store.server", DIGEST)
    log.info("digest in upper case %s", DIGEST.upper())
    log.info("login password=%s user=store.server", PASSWORD)
    log.info('body {"password": "%s"}', PASSWORD)
    log.info("the agent typed %s", Secret(PASSWORD))
    log.info("raw %s", "anything", extra={"secrets": [PASSWORD]})
    log.info("tokenised %(token)s", {"token": Secret(PASSWORD)})

    text = written(log_file)

    for secret in (PASSWORD, DIGEST, DIGEST.upper(), TOKEN):
        assert secret not in text
    assert text.count("[redacted]") >= 8
    assert "user=store.server" in text  # the rest of the line is kept
    assert "Accept" in text


def test_a_traceback_that_quotes_a_secret_is_redacted_too(log_file):
    try:
        raise ValueError(f"bad header Basic {TOKEN} for digest {DIGEST}")
    except ValueError:
        logging.getLogger("desktop_app.test").exception("request failed")

    text = written(log_file)

    assert "ValueError: bad header Basic [redacted] for digest [redacted]" in text
    assert TOKEN not in text
    assert DIGEST not in text


def test_a_broken_format_string_is_logged_rather_than_raising(log_file):
    logging.getLogger("desktop_app.test").info("two %s %s", DIGEST)

    text = written(log_file)

    assert "could not be formatted" in text
    assert DIGEST not in text


def test_plain_words_are_left_alone():
    text = "basic checks passed; password was rejected; 42 redemptions"

    assert redact(text) == text


def test_a_marked_secret_prints_redacted_even_without_the_filter():
    assert str(Secret(PASSWORD)) == "[redacted]"
    assert PASSWORD not in f"{Secret(PASSWORD)!r}"


def test_the_filter_keeps_every_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "digest %s", (DIGEST,), None)

    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "digest [redacted]"


def test_configuring_twice_keeps_one_handler(tmp_path):
    first = configure_logging(tmp_path)
    second = configure_logging(tmp_path)
    try:
        ours = [h for h in logging.getLogger().handlers if getattr(h, "_redemption_desk", False)]
        assert ours == [second.handler]
    finally:
        logging.getLogger().removeHandler(second.handler)
        second.handler.close()
        first.handler.close()


def test_an_unwritable_log_folder_means_no_log_file_and_a_notice(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")

    setup = configure_logging(blocker / "logs")

    assert setup.handler is None
    assert "cannot be written" in setup.notice
