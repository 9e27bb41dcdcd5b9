"""Language identification.

lingua-language-detector was chosen because it ships its models inside the wheel (no download
at run time) and is the most accurate detector for short and mixed text. The detector is built
only for the languages briefgen supports: leaving Malay out keeps Indonesian articles from being
read as Malay, a known confusion between the two. Low-accuracy mode is enough for whole
articles and keeps memory near 100 MB; we look at the first 1,200 characters only.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..settings import SUPPORTED_LANGUAGES

_SAMPLE = 1200  # enough for lingua on article text (same accuracy on our labelled sets as 3000), 3x faster
_MIN_CONFIDENCE = 0.2
_MIN_LETTERS = 12
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in SUPPORTED_LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_low_accuracy_mode()
        .build()
    )


def detect(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, confidence 0..1) for a text; ("und", 0.0) when unknown."""
    sample = text[:_SAMPLE]
    if not sample.strip():
        return "und", 0.0
    det = _detector()
    values = det.compute_language_confidence_values(sample)
    if not values:
        return "und", 0.0
    best = values[0]
    if best.value < _MIN_CONFIDENCE or (len(sample) < 4 * _MIN_LETTERS and sum(c.isalpha() for c in sample) < _MIN_LETTERS):
        return "und", float(best.value)  # "OK", "Hi", numbers: too little text to tell
    return best.language.iso_code_639_1.name.lower(), float(best.value)


def is_cjk(lang: str) -> bool:
    return lang in ("zh", "ja", "ko", "th")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
