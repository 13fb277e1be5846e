"""The response panel renders what the update's job prepared: the body is parsed on the worker,
never on the UI thread (a 4 MB body took ~100 ms there)."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QPlainTextEdit

from desktop_app.core.model import ApiMessage, ApiProblem, ProblemKind, UpdateResult
from desktop_app.desk import answer_view
from desktop_app.desk.answer_view import prepare_failure, prepare_success
from desktop_app.ui.response_panel import Exchange, ResponsePanel
from tests.hostile_bodies import CLIENT_CAP_BYTES, SHAPES
from tests.ui.driver import PASSWORD


def spy_on_parsing(monkeypatch) -> list[threading.Thread]:
    """Records the thread of every parse of an answer's body."""
    threads: list[threading.Thread] = []
    parse = answer_view.response_rows

    def recording(body: str):
        threads.append(threading.current_thread())
        return parse(body)

    monkeypatch.setattr(answer_view, "response_rows", recording)
    return threads


def test_an_answer_with_warnings_is_parsed_off_the_ui_thread(desk, monkeypatch):
    threads = spy_on_parsing(monkeypatch)
    desk.look_up("919800000001", "WaRn01", password=PASSWORD)
    desk.type("billIdEdit", "26503632")
    desk.send()

    assert desk.banner == "Update applied, with 1 warning"
    assert desk.response_table()["Bill ID"] == "26503632"
    assert threads, "the answer's body was never parsed"
    assert threading.main_thread() not in threads


def test_an_answer_with_errors_is_parsed_off_the_ui_thread(desk, monkeypatch):
    threads = spy_on_parsing(monkeypatch)
    desk.look_up("919800000001", "ErR200", password=PASSWORD)
    desk.type("billNumberEdit", "bill-x")
    desk.send()

    assert desk.banner.startswith("Update failed")
    assert desk.find("errorsFrame").isVisible()
    assert desk.table_rows("errorsView")[0][0] == "750"
    assert threads, "the answer's body was never parsed"
    assert threading.main_thread() not in threads


def refuse_parsing(monkeypatch) -> None:
    def parse(body: str):
        raise AssertionError("the panel parsed the body")

    monkeypatch.setattr(answer_view, "response_rows", parse)


def test_the_panel_renders_a_prepared_4_mb_answer_without_parsing(qtbot, monkeypatch):
    body = SHAPES["deep JSON arrays"](CLIENT_CAP_BYTES)
    warnings = tuple(ApiMessage(1301, f"warning {n}") for n in range(1000))
    result = UpdateResult(http_status=200, warnings=warnings, raw=body)
    answer = prepare_success(result)
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    refuse_parsing(monkeypatch)

    panel.show_success(Exchange("{}", "curl …", body, 200), result, answer)

    assert panel.status_banner.text() == "Update applied, with 1000 warnings"
    assert panel.warnings.title.text() == "Warnings (1,000)"
    assert panel.warnings_view.rowCount() == len(answer.warning_rows)
    assert panel.response_view.item(1, 0).text() == "Body (not JSON)"
    assert panel.findChild(QPlainTextEdit, "rawResponseView").toPlainText() == body


def test_the_panel_renders_a_prepared_failure_without_parsing(qtbot, monkeypatch):
    body = '{"errors": [{"code": 750, "message": "ledger locked"}]}'
    errors = (ApiMessage(750, "ledger locked"),)
    problem = ApiProblem(ProblemKind.VALIDATION, "failed", 750, 400, body, errors)
    answer = prepare_failure(problem)
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    refuse_parsing(monkeypatch)

    panel.show_failure(Exchange("{}", "curl …", body, 400), problem, answer)

    assert panel.status_banner.text().startswith("Update failed — 750: ledger locked")
    assert panel.errors_view.item(0, 2).text() == "ledger locked"
    assert panel.response_view.item(0, 1).text() == "400"
