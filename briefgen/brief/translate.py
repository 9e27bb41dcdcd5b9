"""Pluggable translation step for extracted sentences.

Extracted sentences stay in their source language by default (``NoTranslation``): the brief
shows them with a language tag and the source link. A translation engine can be added later by
implementing ``Translator`` and registering it in ``TRANSLATORS``; writers never change, because
they only see the ``Brief`` record.
"""
from __future__ import annotations

from typing import Protocol

from ..settings import Settings


class Translator(Protocol):
    name: str

    def translate(self, text: str, source_lang: str, target_lang: str) -> str: ...


class NoTranslation:
    """The default: text is returned unchanged."""

    name = "none"

    def translate(self, text: str, source_lang: str, target_lang: str) -> str:
        return text


TRANSLATORS: dict[str, type] = {"none": NoTranslation}


def get_translator(settings: Settings) -> Translator:
    name = getattr(settings, "translator", "none") or "none"
    try:
        return TRANSLATORS[name]()
    except KeyError:
        raise ValueError(f"unknown translator '{name}' (available: {', '.join(TRANSLATORS)})") from None
