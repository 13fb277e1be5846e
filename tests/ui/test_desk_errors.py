"""Every error code of the update endpoint, shown with its code, the server's message and the
catalogue's explanation, and the form field it concerns marked.

Most codes come from the real flow against the sandbox. 748, 749, 1219 and 1212 cannot be
produced through the window (it refuses to send such a request), so their genuine sandbox
answers are fetched over HTTP, parsed by the core, and shown through the same code path.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel

from desktop_app.core.api_problems import Reply, http_problem
from desktop_app.core.auth import basic_token
from desktop_app.core.error_catalogue import explain
from desktop_app.core.model import Credentials
from desktop_app.core.update_request import UPDATE_PATH, dumps_body
from desktop_app.desk.answer_view import prepare_failure
from desktop_app.sandbox import DEMO_PASSWORD_MD5, DEMO_USERNAME, NO_ACCESS_USERNAME
from desktop_app.ui.response_panel import Exchange
from tests.ui.driver import PASSWORD

ASHA_MOBILE = "919800000001"


def assert_explained(desk, code: int, server_message: str) -> None:
    explanation = explain(code, server_message)
    assert desk.banner.startswith(("Update failed", "Not sent"))
    assert f"{code}: {server_message}" in desk.banner
    assert desk.find("errorsFrame").isVisible()
    assert [str(code), explanation.title, server_message] in desk.table_rows("errorsView")
    assert explanation.explanation in desk.label("bannerDetail")
    assert explanation.action in desk.label("bannerDetail")
    # said once: the errors box does not repeat the banner's paragraph
    explained = "".join(label.text() for label in desk.find("errorsFrame").findChildren(QLabel))
    assert explanation.explanation not in explained


def is_marked(desk, name: str) -> bool:
    return bool(desk.edit(name).property("invalid"))


def send_correction(desk, key: str, *, field: str = "billNumberEdit", text: str = "bill-fix"):
    desk.look_up(ASHA_MOBILE, key, password=PASSWORD)
    desk.type(field, text)
    desk.send()


def test_750_shows_the_server_detail_verbatim(desk):
    send_correction(desk, "FaiL50")
    assert_explained(desk, 750, "Redemption update failed : redemption already reversed")
    assert "reversed" in desk.label("bannerDetail")
    assert not is_marked(desk, "redemptionKeyEdit")  # the identifier is right


def test_521_says_to_retry_after_a_short_wait(desk):
    send_correction(desk, "BuSy21")
    assert_explained(desk, 521, "Another action is running for the same customer, retry shortly")
    assert "Wait a few seconds" in desk.label("bannerDetail")


def test_8015_for_an_unknown_card_marks_the_customer_identifier(desk):
    desk.fill_lookup("CARD-9999", "NZVAt9", identifier_type="cardnumber")
    desk.type("purposeEdit", "fix")
    desk.confirm(desk.open_confirm())
    desk.answer_credentials()
    desk.wait_idle()
    assert_explained(desk, 8015, "Invalid identifier: customer not found for the given identifiers")
    assert is_marked(desk, "identifierValueEdit")


def test_8015_for_a_user_group(desk):
    desk.fill_lookup("919800000001", "NZVAt9", entity_type="USERGROUP2")
    assert desk.find("noLookupNotice").isVisible()
    desk.type("billNumberEdit", "bill-group")
    desk.confirm(desk.open_confirm())
    desk.answer_credentials()
    desk.wait_idle()
    assert json.loads(desk.sandbox.received[-1].body)["entity"]["type"] == "USERGROUP2"
    assert "8015" in desk.banner


def test_4000_for_a_till_without_access(open_desk):
    desk = open_desk(username=NO_ACCESS_USERNAME)
    # The lookup is refused too, in plain words.
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    assert "Access denied" in desk.label("summaryMessage")
    # The update, sent without a lookup (card identifier), shows the code and the explanation.
    desk.fill_lookup("CARD-0001", "NZVAt9", identifier_type="cardnumber")
    desk.type("purposeEdit", "fix")
    desk.send()
    assert "4000" in desk.banner
    assert "access group" in desk.label("bannerDetail")


def test_4001_says_try_again_later(desk):
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("unavailable_4001", endpoint="update")
    desk.type("billNumberEdit", "bill-later")
    desk.send()
    assert "4001" in desk.banner
    assert explain(4001, "").explanation in desk.label("bannerDetail")
    # Nothing was applied: the edit is still there to send again later.
    assert desk.edit("billNumberEdit").text() == "bill-later"


def sandbox_answer(sandbox, body: dict) -> tuple[Reply, str]:
    """The sandbox's genuine answer to a PUT the window would never send."""
    text = dumps_body(body)
    request = urllib.request.Request(
        sandbox.base_url + UPDATE_PATH,
        data=text.encode("utf-8"),
        method="PUT",
        headers={
            "Authorization": basic_token(Credentials(DEMO_USERNAME, DEMO_PASSWORD_MD5)),
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Reply(response.status, response.read().decode(), dict(response.headers)), text
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode(), dict(error.headers)), text


ENTITY = {"type": "CUSTOMER", "identifierType": "mobile", "identifierValue": ASHA_MOBILE}


@pytest.mark.parametrize(
    ("code", "body", "marked"),
    [
        (748, {"redemptionId": "NZVAt9", "entity": ENTITY}, ["billIdEdit", "purposeEdit"]),
        (
            749,
            {
                "redemptionId": "NZVAt9",
                "externalReferenceNumber": "EXT-1001",
                "purpose": "x",
                "entity": ENTITY,
            },
            ["redemptionKeyEdit"],
        ),
        (
            1219,
            {
                "redemptionId": "NZVAt9",
                "purpose": "x",
                "entity": {"type": "CUSTOMER", "identifierType": "phone", "identifierValue": "1"},
            },
            ["identifierValueEdit"],
        ),
        (
            1212,
            {"redemptionId": "NZVAt9", "purpose": "x", "entity": {**ENTITY, "type": "STORE"}},
            ["identifierValueEdit"],
        ),
    ],
)
def test_codes_the_window_never_provokes_are_still_explained(desk, code, body, marked):
    reply, request_text = sandbox_answer(desk.sandbox, body)
    assert reply.status == 400
    problem = http_problem(reply, is_write=True)
    desk.window.flows.present_update_failure(
        Exchange(request_text, "curl …", reply.text, reply.status),
        problem,
        prepare_failure(problem),
    )
    assert_explained(desk, code, problem.errors[0].message)
    for name in marked:
        assert is_marked(desk, name), name


def test_401_asks_again_then_continues_and_saves_only_the_accepted_password(desk, memory_keyring):
    desk.fill_lookup(ASHA_MOBILE, "NZVAt9")
    desk.click(desk.find("lookupButton"))
    desk.answer_credentials("wrong-password")
    dialog = desk.wait_dialog("credentialsDialog")
    assert "rejected" in dialog.findChild(QLabel, "credentialsMessage").text()
    assert memory_keyring.entries == {}
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    assert desk.label("summaryRedemptionId") == "NZVAt9"
    assert list(memory_keyring.entries.values()) == [DEMO_PASSWORD_MD5]


def test_401_offers_to_replace_the_saved_password(desk, memory_keyring):
    account = f"{desk.window.connection.host}|{DEMO_USERNAME}"
    memory_keyring.entries[("redemption-desk", account)] = "0" * 32
    desk.fill_lookup(ASHA_MOBILE, "NZVAt9")
    desk.click(desk.find("lookupButton"))
    dialog = desk.wait_dialog("credentialsDialog")
    check = dialog.findChild(QCheckBox, "rememberCheck")
    assert check.text().startswith("Replace the saved password in")
    assert check.isChecked()
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    assert desk.label("summaryRedemptionId") == "NZVAt9"
    assert memory_keyring.entries[("redemption-desk", account)] == DEMO_PASSWORD_MD5


def test_a_saved_password_is_used_without_asking(open_desk, memory_keyring, sandbox):
    account = f"{sandbox.base_url.split('//')[1]}|{DEMO_USERNAME}"
    memory_keyring.entries[("redemption-desk", account)] = DEMO_PASSWORD_MD5
    desk = open_desk()
    desk.look_up(ASHA_MOBILE, "NZVAt9")
    assert desk.visible_dialog("credentialsDialog") is None
    assert desk.label("summaryRedemptionId") == "NZVAt9"


def test_401_on_an_update_asks_again_and_sends_the_confirmed_change_once_accepted(
    open_desk, memory_keyring, sandbox
):
    account = f"{sandbox.base_url.split('//')[1]}|{DEMO_USERNAME}"
    memory_keyring.entries[("redemption-desk", account)] = "f" * 32  # an old, wrong digest
    desk = open_desk()
    desk.fill_lookup("CARD-0001", "NZVAt9", identifier_type="cardnumber")
    desk.type("purposeEdit", "after a password change")
    desk.confirm(desk.open_confirm())
    dialog = desk.wait_dialog("credentialsDialog")
    assert "rejected" in dialog.findChild(QLabel, "credentialsMessage").text()
    assert desk.banner.startswith("Not sent: the till rejected the credentials")
    desk.answer_credentials(PASSWORD)
    desk.wait_idle()
    assert desk.banner == "Update applied"
    puts = [r for r in sandbox.received if r.method == "PUT"]
    assert len(puts) == 2 and puts[0].body == puts[1].body  # refused once, then sent as confirmed
    assert memory_keyring.entries[("redemption-desk", account)] == DEMO_PASSWORD_MD5


def test_429_says_how_long_capillary_asks_to_wait(desk):
    desk.look_up(ASHA_MOBILE, "NZVAt9", password=PASSWORD)
    desk.sandbox.set_fault("rate_limited", endpoint="update", times=1, retry_after=7)
    desk.type("billNumberEdit", "bill-slow-down")
    desk.send()
    assert desk.banner.startswith("Update failed")
    assert "wait 7 s" in desk.label("bannerDetail")
    assert desk.edit("billNumberEdit").text() == "bill-slow-down"  # kept for the second go
