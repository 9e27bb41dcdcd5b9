#!/usr/bin/env python3
"""Date tagger vs dateparser.search_dates on the same labelled corpus, in one run.

Times are CPU time of this process (``time.process_time``), so other load on the machine does
not inflate them.

For every labelled text in tests/data/dates/*expressions.jsonl both taggers get the text, its
language and the article's date (dateparser: ``languages=[lang]``, ``RELATIVE_BASE``). Prints
speed (ms per text, and per seed article) and precision / recall:

* strict: the predicted ISO value (and range end) equals the labelled one (briefgen only —
  dateparser returns datetimes, never "2026-04" or "2026-Q2");
* lenient: the predicted day lies inside the labelled period (for both), plus "invented
  precision": matches that name a day or month the text did not give.

dateparser is a benchmark baseline only; the tool never imports it.

    python benchmarks/bench_dates.py [--repeat N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from briefgen.analysis.dates import find_dates, interval  # noqa: E402

import score_dates  # noqa: E402

SEED_LANG = {"000": "id", "001": "de", "002": "vi", "003": "de", "004": "vi"}


def _rows() -> list[dict]:
    return [row for ef, _mf in score_dates.SETS.values() for row in score_dates.load(ef)]


def _gold_spans(row: dict) -> list[tuple[dt.date, dt.date, str]]:
    out = []
    for g in row["expected"]:
        a = interval(g["value"])
        b = interval(g.get("end_value") or g["value"])
        if a and b:
            out.append((a[0], b[1], g["precision"]))
    return out


def _lenient(pred_days: list[tuple[dt.date, bool]], gold: list[tuple[dt.date, dt.date, str]]) -> tuple[int, int, int]:
    """(matched predictions, matched gold, invented precision) — each gold matched at most once.

    ``pred_days``: (day, says_a_day) — says_a_day is True when the prediction names a day."""
    free = list(gold)
    hits = invented = 0
    for day, says_day in pred_days:
        for g in free:
            if g[0] <= day <= g[1]:
                free.remove(g)
                hits += 1
                if says_day and g[2] != "day":
                    invented += 1
                break
    return hits, len(gold) - len(free), invented


def run_briefgen(rows, repeat):
    from briefgen.analysis import dates as D

    t = time.process_time()
    for _ in range(repeat):
        D._scan_cached.cache_clear()
        preds = [find_dates(r["text"], r["lang"], r.get("anchor"), []) for r in rows]
    secs = (time.process_time() - t) / repeat
    tp_s = fp_s = fn_s = 0
    hit = gold_hit = inv = npred = 0
    for r, ms in zip(rows, preds):
        got = [(m.value, m.end_value) for m in ms]
        want = [(g["value"], g.get("end_value")) for g in r["expected"]]
        rest = list(want)
        for x in got:
            if x in rest:
                rest.remove(x)
                tp_s += 1
            else:
                fp_s += 1
        fn_s += len(rest)
        days = []
        for m in ms:
            iv = interval(m.value)
            if iv:
                days.append((iv[0], m.precision == "day"))
        h, gh, i = _lenient(days, _gold_spans(r))
        hit += h
        gold_hit += gh
        inv += i
        npred += len(ms)
    return secs, (tp_s, fp_s, fn_s), (hit, npred, gold_hit, inv)


def run_dateparser(rows, repeat):
    from dateparser.search import search_dates

    def call(r):
        settings = {}
        if r.get("anchor"):
            iv = interval(r["anchor"]) if len(r["anchor"]) > 4 else None
            base = iv[0] if iv else dt.date(int(r["anchor"][:4]), 1, 1)
            settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
        try:
            return search_dates(r["text"], languages=[r["lang"]], settings=settings) or []
        except Exception:
            return []

    for lang in sorted({r["lang"] for r in rows}):  # warm up: language data loads on first use
        call({"text": "2020", "lang": lang})
    t = time.process_time()
    for _ in range(repeat):
        preds = [call(r) for r in rows]
    secs = (time.process_time() - t) / repeat
    hit = gold_hit = inv = npred = 0
    for r, ps in zip(rows, preds):
        days = [(d.date(), True) for _s, d in ps]
        h, gh, i = _lenient(days, _gold_spans(r))
        hit += h
        gold_hit += gh
        inv += i
        npred += len(ps)
    return secs, (hit, npred, gold_hit, inv)


def seed_speed(repeat):
    from briefgen.readers import discover, read
    from briefgen.settings import Settings

    from briefgen.analysis.dates import article_date

    s = Settings()
    arts = [(a, SEED_LANG.get(a.id[:3], "en")) for p, d in discover([str(ROOT / "seeds")], s) for a in read(p, d, s)]
    for a, lang in arts:
        find_dates(a.text, lang, None, [])
    from briefgen.analysis import dates as D

    t = time.process_time()
    for _ in range(repeat):
        for a, lang in arts:
            D._scan_cached.cache_clear()  # cold: measure a real scan (shared by both calls)
            find_dates(a.text, lang, article_date(a, [], lang)[0], [])
    ours = (time.process_time() - t) / (repeat * len(arts))
    from dateparser.search import search_dates

    t = time.process_time()
    for a, lang in arts:
        search_dates(a.text, languages=[lang])
    theirs = (time.process_time() - t) / len(arts)
    return ours, theirs, sum(len(a.text) for a, _ in arts) / len(arts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows = _rows()
    n_gold = sum(len(r["expected"]) for r in rows)
    find_dates("warm 2020", "en", None, [])
    for lang in {r["lang"] for r in rows}:
        find_dates("2020", lang, None, [])
    b_secs, (tp, fp, fn), (bh, bn, bgh, binv) = run_briefgen(rows, a.repeat)
    d_secs, (dh, dn, dgh, dinv) = run_dateparser(rows, max(1, a.repeat // 5))

    def prf(h, n, gh):
        p = h / n if n else 1.0
        r = gh / n_gold if n_gold else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    print(f"labelled corpus: {len(rows)} texts, {n_gold} date expressions, {len({r['lang'] for r in rows})} languages")
    ps = tp / (tp + fp) if tp + fp else 1.0
    rs = tp / (tp + fn) if tp + fn else 1.0
    print(f"briefgen   {b_secs / len(rows) * 1000:8.3f} ms/text  strict  P {ps:.3f} R {rs:.3f} F1 {2 * ps * rs / (ps + rs):.3f}")
    p, r, f = prf(bh, bn, bgh)
    print(f"           {'':8} lenient P {p:.3f} R {r:.3f} F1 {f:.3f}  predictions {bn}  invented precision {binv}")
    p, r, f = prf(dh, dn, dgh)
    print(f"dateparser {d_secs / len(rows) * 1000:8.3f} ms/text  lenient P {p:.3f} R {r:.3f} F1 {f:.3f}  predictions {dn}  invented precision {dinv}")
    print(f"speed-up on the labelled corpus: {d_secs / b_secs:.0f}x")
    ours, theirs, avg = seed_speed(a.repeat * 4)
    print(f"seed articles (avg {avg:.0f} chars): briefgen {ours * 1000:.3f} ms/article (article date + all dates), "
          f"dateparser {theirs * 1000:.1f} ms/article, {theirs / ours:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
