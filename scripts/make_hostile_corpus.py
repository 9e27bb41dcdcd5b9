#!/usr/bin/env python3
"""Write the hostile-input corpus the reader tests use (95 bad or odd files plus good articles).

    python scripts/make_hostile_corpus.py /tmp/hostile [--no-huge]
    briefgen build /tmp/hostile/corpus --out /tmp/hostile-out     # exit code 1, every file in the manifest

The corpus goes into DIR/corpus; two files meant to stay outside it (a "secret" and a folder that
symlinks point to) go into DIR itself. Nothing is committed: the files are generated each time.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from readers_helpers import build_corpus  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--no-huge", action="store_true", help="leave out the two ~20 MB files")
    args = ap.parse_args()
    corpus = args.dir / "corpus"
    if corpus.exists():
        print(f"{corpus} exists: choose an empty folder", file=sys.stderr)
        return 2
    exp = build_corpus(corpus, huge=not args.no_huge)
    refused = sum(1 for e, _ in exp.values() if e == "error")
    print(f"{len(exp)} files in {corpus} ({refused} should be refused with a reason)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
