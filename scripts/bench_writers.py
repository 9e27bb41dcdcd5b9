"""Time the PDF and DOCX writers on the 3-page multilingual fixture brief (tests/brief_fixtures.py).

Prints CPU seconds per render (process time: stable on a busy machine) for the first render in
the process (fonts loaded) and the best of the warm renders, and the file sizes.
Run: python scripts/bench_writers.py [--styles DIR] [--runs N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from brief_fixtures import multilingual_brief

    from briefgen.settings import Settings
    from briefgen.writers import render

    ap = argparse.ArgumentParser()
    ap.add_argument("--styles")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    s = Settings(as_of="2026-11-23", styles_dir=a.styles)
    for fmt in ("pdf", "docx"):
        for cjk in (False, True):
            b = multilingual_brief(cjk=cjk)
            t = time.process_time()
            data = render(fmt, b, s)
            first = time.process_time() - t
            warm = []
            for _ in range(a.runs):
                t = time.process_time()
                render(fmt, b, s)
                warm.append(time.process_time() - t)
            print(f"{fmt:4} {'CJK  ' if cjk else 'Latin'}  first {first:5.2f} s   warm best {min(warm):5.2f} s   "
                  f"{len(data) / 1024:6.0f} KB")


if __name__ == "__main__":
    main()
