"""Issue 11 item 6: nothing from a server, a file or the agent is read as markup. Qt reads a
label's, a message box's or a tooltip's text as HTML when it merely looks like HTML, so the desk
uses plain labels (widgets.plain_label, role_label) and asks for rich text in two places only,
both with text it wrote itself: the shortcuts list, and History details, which escapes every
value it shows. A new place has to be argued for here."""

from __future__ import annotations

import re
from pathlib import Path

import desktop_app.ui

UI = Path(desktop_app.ui.__file__).parent
RICH_TEXT = re.compile(r"RichText|AutoText|setHtml|insertHtml")
ALLOWED = {
    ("main_window.py", "box.setTextFormat(Qt.TextFormat.RichText)"),  # SHORTCUTS, ours
    ("history_panel/details.py", "self.setHtml(details_html(entry, verifications))"),
}


def test_rich_text_is_asked_for_only_where_the_desk_wrote_every_character():
    found = {
        (path.relative_to(UI).as_posix(), line.strip())
        for path in UI.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if RICH_TEXT.search(line) and not line.strip().startswith("#")
    }
    assert found <= ALLOWED, found - ALLOWED
