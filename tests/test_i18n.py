"""Every label the code asks for has a Vietnamese translation in the catalog."""
from __future__ import annotations

import re
from pathlib import Path

from briefgen.i18n import _catalog, available_languages

ROOT = Path(__file__).resolve().parent.parent / "briefgen"


def _labels_in_code() -> set[str]:
    from briefgen.brief import LABELS as BRIEF_LABELS
    from briefgen.overview import LABELS as OVERVIEW_LABELS
    from briefgen.report import CHANGE_KINDS

    found = set(BRIEF_LABELS) | set(OVERVIEW_LABELS) | set(CHANGE_KINDS)
    for path in ROOT.rglob("*.py"):
        found |= set(re.findall(r"gettext\(\s*\"([^\"]+)\"", path.read_text("utf-8")))
        found |= set(re.findall(r"gettext\(\s*'([^']+)'", path.read_text("utf-8")))
    # status words and milestone kinds go through gettext by value
    found |= {"upcoming", "due this month", "passed", "passed — no confirmation in sources",
              "signing", "conference", "visit", "deadline", "launch", "period-end", "anniversary", "plan"}
    return found


def test_vietnamese_catalog_covers_every_label():
    assert "vi" in available_languages()
    cat = _catalog("vi")
    missing = sorted(k for k in _labels_in_code() if k not in cat)
    assert not missing, missing


def test_placeholders_survive_translation():
    cat = _catalog("vi")
    for msgid, msgstr in cat.items():
        assert set(re.findall(r"\{\w+\}", msgid)) == set(re.findall(r"\{\w+\}", msgstr)), msgid
