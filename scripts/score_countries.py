#!/usr/bin/env python
"""Score partner-country and organisation detection on the labelled set.

    python scripts/score_countries.py [tests/data/countries/gold.jsonl] [-v]
    python scripts/score_countries.py tests/data/countries/heldout.jsonl

gold.jsonl is the development set (the rules were tuned on it); heldout.jsonl was written
afterwards and is not tuned on: its errors are reported, not fixed one by one.

The set (one JSON object per line): id, lang, title (or null), text, furniture (strings the
reader dropped: related-news lists, captions), home (ISO code), partners (ISO codes the
article is about, without home), organisations (multilateral keys such as "WHO"), note.

Prints micro precision / recall / F1 for partners and for organisations, the number of
countries taken as partners although they occur only in furniture, whether ``detect_home``
finds the set's home, and the speed of ``find_mentions`` + ``score`` per article.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen.analysis import countries as C  # noqa: E402
from briefgen.model import Article, ArticleAnalysis, Removed, Sentence  # noqa: E402
from briefgen.settings import Settings  # noqa: E402

GOLD = ROOT / "tests" / "data" / "countries" / "gold.jsonl"
REPEAT = 20  # runs per article for the speed figure (CPU time)


def _split(text: str, lang: str) -> list[Sentence]:
    try:
        from briefgen.analysis.sentences import split

        return split(text, lang)
    except Exception:  # the sentence splitter is optional here
        out: list[Sentence] = []
        for m in re.finditer(r"[^\n.!?。]+[.!?。]?", text):
            if m.group().strip():
                out.append(Sentence(len(out), m.group(), m.start(), m.end()))
        return out


def load(path: Path = GOLD) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(path: Path = GOLD, verbose: bool = False) -> dict:
    settings = Settings()
    items = load(path)
    cnt: Counter = Counter()
    analyses = []
    errors = []
    elapsed = 0.0
    # warm the name tables (built once per process, or read from the user cache)
    for lang in sorted({it["lang"] for it in items}):
        C.match("warm-up", lang)
    for it in items:
        art = Article(
            id=it["id"],
            path=it["id"],
            text=it["text"],
            title=it.get("title"),
            removed=[Removed(text=f, reason="furniture") for f in it.get("furniture", [])],
        )
        sents = _split(art.text, it["lang"])
        t0 = time.process_time()
        for _ in range(REPEAT):
            mentions = C.find_mentions(art, sents, it["lang"], settings)
            scores = C.score(mentions, art, sents)
        elapsed += (time.process_time() - t0) / REPEAT
        an = ArticleAnalysis(id=art.id, path=art.path, title=art.title, url=None, language=it["lang"], countries=scores, mentions=mentions)
        analyses.append(an)
        partners, orgs = C.choose_partners(an, it.get("home"))
        gold_p, gold_o = set(it["partners"]), set(it["organisations"])
        pred_p, pred_o = set(partners), set(orgs)
        cnt["p_tp"] += len(pred_p & gold_p)
        cnt["p_fp"] += len(pred_p - gold_p)
        cnt["p_fn"] += len(gold_p - pred_p)
        cnt["o_tp"] += len(pred_o & gold_o)
        cnt["o_fp"] += len(pred_o - gold_o)
        cnt["o_fn"] += len(gold_o - pred_o)
        zones: dict[str, set[str]] = {}
        for m in mentions:
            zones.setdefault(m.code, set()).add(m.zone)
        furniture_only = {c for c, z in zones.items() if z == {"furniture"}}
        cnt["furniture_only"] += len(furniture_only)
        cnt["furniture_taken"] += len(furniture_only & (pred_p | pred_o))
        if pred_p != gold_p or pred_o != gold_o:
            errors.append((it, partners, orgs, scores))
    pp, pr, pf = _prf(cnt["p_tp"], cnt["p_fp"], cnt["p_fn"])
    op, orr, of = _prf(cnt["o_tp"], cnt["o_fp"], cnt["o_fn"])
    homes = Counter(it.get("home") for it in items)
    expected_home = homes.most_common(1)[0][0] if homes else None
    detected = C.detect_home(analyses)
    result = {
        "articles": len(items),
        "languages": len({it["lang"] for it in items}),
        "partner_precision": pp,
        "partner_recall": pr,
        "partner_f1": pf,
        "org_precision": op,
        "org_recall": orr,
        "org_f1": of,
        "furniture_only": cnt["furniture_only"],
        "furniture_taken": cnt["furniture_taken"],
        "home_expected": expected_home,
        "home_detected": detected,
        "ms_per_article": 1000 * elapsed / max(1, len(items)),
        "errors": [(e[0]["id"], e[0]["partners"], e[1], e[0]["organisations"], e[2]) for e in errors],
    }
    if verbose:
        for it, partners, orgs, scores in errors:
            print(f"--- {it['id']} ({it['lang']}) gold {it['partners']} {it['organisations']} got {partners} {orgs}  # {it.get('note', '')}")
            for s in scores:
                print(f"      {s.code}: {s.reason}")
    return result


def seed_speed(repeat: int = 10) -> tuple[float, float, float]:
    """CPU ms per seed article for find_mentions + score, the average size in KB, and the
    same figure for a bare ``\\w+`` scan of the text (to compare machines)."""
    from briefgen.readers import discover, read

    settings = Settings()
    langs = {"000": "id", "001": "de", "002": "vi", "003": "de", "004": "vi"}
    arts = [a for p, d in discover([str(ROOT / "seeds")], settings) for a in read(p, d, settings)]
    items = [(a, langs.get(a.id[:3], "en"), _split(a.text, langs.get(a.id[:3], "en"))) for a in arts]
    for a, lang, se in items:
        C.score(C.find_mentions(a, se, lang, settings), a, se)
    word = re.compile(r"\w+")
    best = bare = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for a, lang, se in items:
            C.score(C.find_mentions(a, se, lang, settings), a, se)
        best = min(best, (time.process_time() - t0) / len(items))
        t0 = time.process_time()
        for _ in range(5):
            for a, _lang, _se in items:
                word.findall(a.text)
        bare = min(bare, (time.process_time() - t0) / (5 * len(items)))
    kb = sum(len(a.text.encode("utf-8")) for a, _, _ in items) / len(items) / 1024
    return best * 1000, kb, bare * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(GOLD))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    r = evaluate(Path(args.gold), args.verbose)
    print(f"articles {r['articles']} in {r['languages']} languages")
    print(f"partners       P {r['partner_precision']:.3f}  R {r['partner_recall']:.3f}  F1 {r['partner_f1']:.3f}")
    print(f"organisations  P {r['org_precision']:.3f}  R {r['org_recall']:.3f}  F1 {r['org_f1']:.3f}")
    print(f"furniture-only countries taken as partners: {r['furniture_taken']} (of {r['furniture_only']} furniture-only)")
    print(f"home: expected {r['home_expected']}, detected {r['home_detected']}")
    print(f"speed: {r['ms_per_article']:.3f} ms CPU per article (find_mentions + score), {1000 / max(r['ms_per_article'], 1e-9):.0f} articles/s")
    for e in r["errors"]:
        print(f"  error {e[0]}: gold {e[1]} {e[3]} -> got {e[2]} {e[4]}")
    if (ROOT / "seeds").is_dir():
        ms, kb, bare = seed_speed()
        print(f"speed on the seeds ({kb:.1f} KB average): {ms:.3f} ms CPU per article, {1000 / ms:.0f} articles/s"
              f" ({ms / bare:.1f}x a bare \\w+ scan of the same text, {bare:.3f} ms here)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
