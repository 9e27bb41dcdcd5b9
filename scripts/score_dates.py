#!/usr/bin/env python3
"""Score the date tagger and the milestone extractor on the labelled set in tests/data/dates/.

Prints precision / recall / F1 for date expressions (exact value + end_value match) and for
milestones (date match), kind and place accuracy on matched milestones, and the count of
"invented precision" (a predicted value more precise than the text gave, e.g. 2026-04-01 for
"April 2026"). ``--verbose`` lists every miss and false alarm.

    python scripts/score_dates.py [--verbose] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "dates"
sys.path.insert(0, str(ROOT))

from briefgen.model import Article, Sentence  # noqa: E402


def load(name: str) -> list[dict]:
    rows = []
    with open(DATA / name, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


_SPLIT = re.compile(r"[^\n]+?(?:[.!?。！？](?=\s|$)|$)", re.MULTILINE)


def simple_split(text: str, lang: str = "") -> list[Sentence]:
    """Fallback sentence splitter: end punctuation followed by space, or a line break."""
    out = []
    for mt in _SPLIT.finditer(text):
        seg = mt.group()
        if not seg.strip():
            continue
        lead = len(seg) - len(seg.lstrip())
        out.append(Sentence(index=len(out), text=seg.strip(), start=mt.start() + lead, end=mt.start() + lead + len(seg.strip())))
    return out


def split(text: str, lang: str) -> list[Sentence]:
    try:
        from briefgen.analysis.sentences import split as real_split

        return real_split(text, lang)
    except Exception:  # the project splitter is not there yet, or failed
        return simple_split(text, lang)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _more_precise(pred: str, gold: str) -> bool:
    return pred != gold and pred.startswith(gold + "-")


def score_expressions(rows: list[dict] | None = None, verbose: bool = False) -> dict:
    from briefgen.analysis.dates import find_dates

    rows = rows if rows is not None else load("expressions.jsonl")
    tp = fp = fn = invented = 0
    errors = []
    for row in rows:
        sents = split(row["text"], row["lang"])
        pred = [(m.value, m.end_value) for m in find_dates(row["text"], row["lang"], row.get("anchor"), sents)]
        gold = [(g["value"], g.get("end_value")) for g in row["expected"]]
        pc, gc = Counter(pred), Counter(gold)
        hit = sum((pc & gc).values())
        tp += hit
        fp += sum(pc.values()) - hit
        fn += sum(gc.values()) - hit
        extra = list((pc - gc).elements())
        for v, _ in extra:
            if any(_more_precise(v, g) for g, _e in gold):
                invented += 1
        if pc != gc:
            errors.append({"text": row["text"], "lang": row["lang"], "gold": gold, "pred": pred})
    p, r, f = _prf(tp, fp, fn)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f, "invented_precision": invented, "errors": errors}


def score_milestones(rows: list[dict] | None = None) -> dict:
    from briefgen.analysis.dates import find_dates
    from briefgen.analysis.milestones import extract

    rows = rows if rows is not None else load("milestones.jsonl")
    tp = fp = fn = invented = kind_ok = place_ok = place_n = 0
    errors = []
    for i, row in enumerate(rows):
        text, lang, anchor = row["text"], row["lang"], row.get("anchor")
        sents = split(text, lang)
        art = Article(id=f"m{i}", path=f"m{i}", text=text)
        ds = find_dates(text, lang, anchor, sents)
        got = extract(art, sents, ds, lang, anchor)
        gold = list(row["milestones"])
        unmatched = list(got)
        for g in gold:
            m = next((x for x in unmatched if x.date == g["date"]), None)
            if m is None:
                fn += 1
                errors.append({"text": text, "missing": g, "got": [(x.date, x.kind) for x in got]})
                continue
            unmatched.remove(m)
            tp += 1
            kind_ok += m.kind == g.get("kind", m.kind)
            if m.kind != g.get("kind", m.kind):
                errors.append({"text": text, "kind": (m.kind, g.get("kind"))})
            if "place" in g:
                place_n += 1
                place_ok += (m.place or "") == g["place"]
                if (m.place or "") != g["place"]:
                    errors.append({"text": text, "place": (m.place, g["place"])})
            if not text.count(m.evidence) and m.evidence not in text:
                errors.append({"text": text, "evidence_not_verbatim": m.evidence})
        for x in unmatched:
            fp += 1
            if any(_more_precise(x.date, g["date"]) for g in gold):
                invented += 1
            errors.append({"text": text, "false_alarm": (x.date, x.kind, x.text)})
    p, r, f = _prf(tp, fp, fn)
    return {
        "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f,
        "kind_accuracy": kind_ok / tp if tp else 0.0,
        "place_accuracy": place_ok / place_n if place_n else 1.0,
        "invented_precision": invented, "errors": errors, "sentences": len(rows),
        "positives": sum(len(r["milestones"]) for r in rows),
    }


SETS = {
    "dev": ("expressions.jsonl", "milestones.jsonl"),
    "heldout": ("heldout_expressions.jsonl", "heldout_milestones.jsonl"),
    "heldout2": ("heldout2_expressions.jsonl", "heldout2_milestones.jsonl"),
    "heldout3": ("heldout3_expressions.jsonl", "heldout3_milestones.jsonl"),
}


def score_all() -> dict:
    """Scores per set and for all sets together."""
    out = {}
    ex_all, ms_all = [], []
    for name, (ef, mf) in SETS.items():
        ex_rows, ms_rows = load(ef), load(mf)
        ex_all += ex_rows
        ms_all += ms_rows
        out[name] = {"expressions": score_expressions(ex_rows), "milestones": score_milestones(ms_rows),
                     "n_expr": sum(len(r["expected"]) for r in ex_rows), "n_texts": len(ex_rows),
                     "langs": sorted({r["lang"] for r in ex_rows} | {r["lang"] for r in ms_rows})}
    out["all"] = {"expressions": score_expressions(ex_all), "milestones": score_milestones(ms_all),
                  "n_expr": sum(len(r["expected"]) for r in ex_all), "n_texts": len(ex_all),
                  "langs": sorted({r["lang"] for r in ex_all} | {r["lang"] for r in ms_all})}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = score_all()
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    for name, r in res.items():
        ex, ms = r["expressions"], r["milestones"]
        print(f"[{name}] expressions: {r['n_expr']} gold in {r['n_texts']} texts; languages: {', '.join(r['langs'])}")
        print(f"  precision {ex['precision']:.3f}  recall {ex['recall']:.3f}  F1 {ex['f1']:.3f}  "
              f"(tp {ex['tp']}, fp {ex['fp']}, fn {ex['fn']})  invented precision {ex['invented_precision']}")
        print(f"[{name}] milestones: {ms['positives']} gold in {ms['sentences']} texts")
        print(f"  precision {ms['precision']:.3f}  recall {ms['recall']:.3f}  F1 {ms['f1']:.3f}  "
              f"(tp {ms['tp']}, fp {ms['fp']}, fn {ms['fn']})  kind accuracy {ms['kind_accuracy']:.3f}  "
              f"place accuracy {ms['place_accuracy']:.3f}  invented precision {ms['invented_precision']}")
    if a.verbose:
        for e in res["all"]["expressions"]["errors"]:
            print("EXPR", json.dumps(e, ensure_ascii=False))
        for e in res["all"]["milestones"]["errors"]:
            print("MILE", json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
