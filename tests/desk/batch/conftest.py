"""Batch files written by the test, run against a fresh sandbox over real HTTP."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.model import Credentials
from desktop_app.core.paths import AppPaths
from desktop_app.desk.batch import BatchRun, BatchRunResult, BatchSettings, read_batch_file
from desktop_app.desk.batch.previous import previous_run
from desktop_app.desk.session import Connection, DeskServices
from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME

HEADER = (
    "identifier_type",
    "identifier_value",
    "redemption_id",
    "external_reference_number",
    "bill_id",
    "bill_number",
    "purpose",
)
ASHA = ("mobile", "919800000001")
RAVI = ("externalId", "CUST-0003")
DEEP = ("externalId", "CUST-0002")


def deep_rows(count: int) -> list[list[str]]:
    """Rows for `count` different redemptions of Deep's, the newest first (one lookup page)."""
    return [row(DEEP, rid=f"Dp{1200 - n:04d}", purpose=f"p{n}") for n in range(count)]


def row(customer: tuple[str, str], *, rid: str = "", ext: str = "", **values: str) -> list[str]:
    return [
        *customer,
        rid,
        ext,
        values.get("bill_id", ""),
        values.get("bill_number", ""),
        values.get("purpose", ""),
    ]


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", header=HEADER) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


@pytest.fixture
def batch_file(tmp_path) -> Callable[..., Path]:
    def write(rows: list[list[str]], name: str = "batch.csv", **options: Any) -> Path:
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows, **options))
        return path

    return write


@pytest.fixture
def services(tmp_path):
    services = DeskServices(AppPaths.under(tmp_path / "data"))
    yield services
    services.close()


@pytest.fixture
def make_run(sandbox, services) -> Callable[..., BatchRun]:
    """A run of the file as the window makes it, with the demo till's saved-password digest."""

    def make(path: Path, digest: str = DEMO_PASSWORD_MD5, **settings: Any) -> BatchRun:
        batch = read_batch_file(path)
        connection = Connection("test", sandbox.base_url, DEMO_USERNAME)
        options = {"retry_wait_seconds": 0.05, **settings}
        on_row = options.pop("on_row", None)
        return BatchRun(
            services,
            connection,
            Credentials(DEMO_USERNAME, digest),
            None,
            batch,
            BatchSettings(**options),
            previous=previous_run(services, batch.sha256, connection.host),
            on_row=on_row,
        )

    return make


@pytest.fixture
def run_batch(make_run) -> Callable[..., BatchRunResult]:
    return lambda path, **options: make_run(path, **options).run()


def puts(sandbox) -> list[dict[str, Any]]:
    return [request.json() for request in sandbox.received if request.method == "PUT"]


def by_row(result: BatchRunResult) -> dict[int, Any]:
    return {row.row: row for row in result.results}
