#!/usr/bin/env python3
"""Score the plain-text scrape clean-up on the labelled set in tests/data/cleanup/furniture.jsonl.

Each record is a small scraped page: its lines labelled ``article``, ``furniture`` or ``title``
(an ``article`` line may give ``keep``: the text that must remain once a photo credit is cut).
The positive class is furniture: precision = share of removed lines that were furniture, recall =
share of furniture lines removed. ``article lines lost`` must stay 0 (the article survives whole);
title accuracy counts pages whose detected title (or none) is right.

    python scripts/score_cleanup.py [--verbose] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "cleanup" / "furniture.jsonl"
sys.path.insert(0, str(ROOT))

from briefgen.readers.cleanup import clean_scrape  # noqa: E402


def score(path: Path = DATA, verbose: bool = False) -> dict:
    tp = fp = fn = tn = 0
    titles_right = pages = 0
    misses: list[str] = []
    for raw in path.read_text("utf-8").splitlines():
        if not raw.strip():
            continue
        doc = json.loads(raw)
        lines = doc["lines"]
        cleaned = clean_scrape("\n".join(x["text"] for x in lines))
        kept = Counter(ln.strip() for ln in cleaned.text.splitlines() if ln.strip())
        expected_title = next((x["text"] for x in lines if x["label"] == "title"), None)
        pages += 1
        if cleaned.title == expected_title:
            titles_right += 1
        else:
            misses.append(f"{doc['id']}: title {cleaned.title!r}, expected {expected_title!r}")
        for x in (x for x in lines if x["label"] == "article" and x["text"].strip()):
            want = x.get("keep", x["text"]).strip()
            if kept[want] > 0:
                tn += 1
                kept[want] -= 1
            else:
                fp += 1
                misses.append(f"{doc['id']}: article line lost: {want[:70]}")
            if "keep" in x:  # the credit inside the line is furniture too
                if kept[x["text"].strip()] > 0:
                    fn += 1
                    misses.append(f"{doc['id']}: credit kept: {x['text'][:70]}")
                else:
                    tp += 1
        for x in (x for x in lines if x["label"] == "furniture" and x["text"].strip()):
            s = x["text"].strip()
            if kept[s] > 0:
                fn += 1
                kept[s] -= 1
                misses.append(f"{doc['id']}: furniture kept: {s[:70]}")
            else:
                tp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"pages": pages, "furniture_lines": tp + fn, "article_lines": tn + fp, "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(f1, 4), "article_lines_lost": fp,
            "title_accuracy": round(titles_right / pages, 4) if pages else 0.0, "misses": misses}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    res = score()
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    print(f"pages {res['pages']}, furniture lines {res['furniture_lines']}, article lines {res['article_lines']}")
    print(f"furniture removal  precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")
    print(f"article lines lost {res['article_lines_lost']}   title accuracy {res['title_accuracy']:.3f}")
    if args.verbose:
        for m in res["misses"]:
            print("  -", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
