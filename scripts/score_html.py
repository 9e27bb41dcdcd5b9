#!/usr/bin/env python3
"""Score the saved-web-page reader on the labelled pages in tests/data/readers/html_pages.jsonl.

Each page (10 layouts, 8 languages: <article> pages, div soup, <br> paragraphs, an old table
layout, JSON-LD, <time>, URL-only dates, Windows-1252 and a "saved from url" comment) lists the
article sentences that must be in the text, the furniture strings that must not, and the expected
title, publication date (from metadata only: None when the page has none) and URL. Prints sentence recall, furniture leak rate and metadata accuracy.

    python scripts/score_html.py [--verbose] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "readers" / "html_pages.jsonl"
sys.path.insert(0, str(ROOT))

from briefgen import readers  # noqa: E402
from briefgen.settings import Settings  # noqa: E402

_CHARSET = re.compile(r"charset=[\"']?([\w-]+)", re.I)


def page_bytes(page: dict) -> bytes:
    m = _CHARSET.search(page["html"][:2000])
    enc = {"windows-1252": "cp1252"}.get(m.group(1).lower(), m.group(1)) if m else "utf-8"
    return page["html"].encode(enc, "xmlcharrefreplace")


def score(path: Path = DATA) -> dict:
    settings = Settings()
    found = total = leaked = furniture = intact = 0
    meta_right = {"title": 0, "published": 0, "url": 0}
    pages = 0
    misses: list[str] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        page = json.loads(line)
        pages += 1
        try:
            art = readers.read_bytes(page_bytes(page), ".html", Path(page["id"] + ".html"), page["id"] + ".html", settings)[0]
        except readers.ReadError as e:
            misses.append(f"{page['id']}: ReadError {e}")
            total += len(page["article"])
            furniture += len(page["furniture"])
            continue
        for s in page["article"]:
            total += 1
            if s in art.text:
                found += 1
                if s in {ln.strip() for ln in art.text.splitlines()}:
                    intact += 1
                else:
                    misses.append(f"{page['id']}: paragraph merged with other text: {s[:60]}")
            else:
                misses.append(f"{page['id']}: missing {s[:60]}")
        for s in page["furniture"]:
            furniture += 1
            if s in art.text:
                leaked += 1
                misses.append(f"{page['id']}: furniture kept {s[:60]}")
        for key in meta_right:
            if getattr(art, key) == page[key]:
                meta_right[key] += 1
            else:
                misses.append(f"{page['id']}: {key} {getattr(art, key)!r}, expected {page[key]!r}")
    return {
        "pages": pages, "sentences": total, "sentence_recall": round(found / total, 4) if total else 0.0,
        "paragraphs_intact": round(intact / total, 4) if total else 0.0,
        "furniture_strings": furniture, "furniture_leak_rate": round(leaked / furniture, 4) if furniture else 0.0,
        **{f"{k}_accuracy": round(v / pages, 4) if pages else 0.0 for k, v in meta_right.items()},
        "misses": misses,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res = score()
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    print(f"pages {res['pages']}, article sentences {res['sentences']}, furniture strings {res['furniture_strings']}")
    print(f"sentence recall {res['sentence_recall']:.3f}   paragraphs intact {res['paragraphs_intact']:.3f}   "
          f"furniture leak rate {res['furniture_leak_rate']:.3f}")
    print(f"title {res['title_accuracy']:.3f}   published {res['published_accuracy']:.3f}   url {res['url_accuracy']:.3f}")
    if args.verbose:
        for m in res["misses"]:
            print("  -", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
