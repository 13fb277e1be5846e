"""The desk's log file: rotating, under AppPaths.log_dir, and never holding a secret.

`RedactingFilter` rewrites every record before it is written: Basic/Bearer tokens, 32-hex
digests (the till password's MD5), `password=…`-like pairs and anything marked with `Secret(…)`
or `extra={"secrets": [...]}` become "[redacted]", in the message and in tracebacks alike.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LOG_FILE_NAME = "redemption-desk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A token after its scheme (long enough not to eat "basic checks"), or a whole header value.
    (re.compile(r"(?i)\b(basic|bearer)\s+[A-Za-z0-9+/._~-]{16,}=*"), rf"\1 {REDACTED}"),
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n,}]+"), rf"\1{REDACTED}"),
    # The till password's MD5 digest, or any other 32-hex value that may be one.
    (re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])"), REDACTED),
    # password=…, "password": "…", password_md5: … and the like.
    (
        re.compile(
            r"(?i)((?:password|passwd|pwd|secret|token)\w{0,40}[\"']?\s*[:=]\s*[\"']?)[^\"'\s,;&}]+"
        ),
        rf"\1{REDACTED}",
    ),
)


class Secret:
    """Marks a log argument as secret: `log.info("digest %s", Secret(digest))`.

    It prints as "[redacted]" even where no filter is installed.
    """

    __slots__ = ("_value",)

    def __init__(self, value: object):
        self._value = value

    def __str__(self) -> str:
        return REDACTED

    __repr__ = __str__


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known kind of secret, and each of `secrets`, replaced by "[redacted]"."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record in place so that no handler after it sees a secret. Never drops one."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = [str(s) for s in getattr(record, "secrets", ()) or ()]
        secrets += [str(a._value) for a in _args(record) if isinstance(a, Secret)]
        try:
            message = record.getMessage()
        except Exception as error:  # a bad format string must not break the logging call
            message = f"{record.msg!r} (could not be formatted: {type(error).__name__})"
        record.msg = redact(message, secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


def _args(record: logging.LogRecord) -> tuple[object, ...]:
    if isinstance(record.args, tuple):
        return record.args
    if isinstance(record.args, dict):
        return tuple(record.args.values())
    return ()


# httpx logs every request line at INFO, lookup queries (mobile=…, email=…) included: the log
# must carry no customer identifiers, so these speak only of problems.
_URL_LOGGERS = ("httpx", "httpcore")


@dataclass(frozen=True)
class LogSetup:
    handler: logging.Handler | None
    path: Path
    notice: str | None = None  # why there is no log file, when there is none


def configure_logging(log_dir: Path, level: int = logging.INFO) -> LogSetup:
    """Sends the root logger to a rotating file in `log_dir`, through a RedactingFilter.

    Calling it again replaces the handler it installed before. Never raises: when the folder
    cannot be written, the desk runs without a log file and `notice` says so.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_redemption_desk", False)]:
        root.removeHandler(old)
        old.close()
    path = Path(log_dir) / LOG_FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as error:
        return LogSetup(None, path, f"No log file: {path} cannot be written ({error}).")
    handler._redemption_desk = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root.addHandler(handler)
    for chatty in _URL_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return LogSetup(handler, path)
