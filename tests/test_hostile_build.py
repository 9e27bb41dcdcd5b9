"""End to end: `briefgen build` on the hostile corpus (minus the two 20 MB files, to stay quick).

The manifest lists every input once, the exit code is 1 (some inputs failed, the run finished),
the good articles are briefed, every failure has a one-line reason, and nothing is written
outside --out except the user cache folder (the analysis cache is off; HOME points into an empty
folder we watch).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readers_helpers import build_corpus


def _files(root: Path) -> dict[str, float]:
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = Path(dirpath) / n
            try:
                out[str(p)] = p.lstat().st_mtime
            except OSError:
                pass
    return out


@pytest.mark.skipif(not (Path(__file__).resolve().parent.parent / "briefgen" / "pipeline.py").exists(),
                    reason="no pipeline yet")
def test_build_on_hostile_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    expectations = build_corpus(corpus, huge=False)
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "cwd"
    work.mkdir()
    out = tmp_path / "out"
    before = {k: v for k, v in _files(tmp_path).items() if not k.startswith(str(out))}
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               TMPDIR=str(home / "tmp"))
    (home / "tmp").mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(corpus), "--out", str(out), "--as-of", "2026-11-23",
         "--home", "VN", "--no-cache", "--quiet", "--format", "docx,json"],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    inputs = {Path(r["path"]).relative_to(corpus).as_posix(): r for r in manifest["inputs"]}
    assert set(inputs) == set(expectations), set(inputs) ^ set(expectations)
    assert len(manifest["inputs"]) == len(expectations)
    for rel, (expected, _detail) in expectations.items():
        rec = inputs[rel]
        if expected == "ok":
            assert rec["status"] == "used" and rec["article_ids"], (rel, rec)
        elif expected == "error":
            assert rec["status"] in ("failed", "skipped") and rec["reason"], (rel, rec)
            assert "\n" not in rec["reason"]
            assert not rec["reason"].startswith(("Traceback", "Exception")), rec["reason"]
    # one line on stderr per failed or skipped input, naming the file
    bad = [r for r in manifest["inputs"] if r["status"] != "used"]
    for r in bad:
        assert f"{r['path']}: {r['reason']}" in proc.stderr
    # the seeds' partner countries are briefed: hostile neighbours change nothing
    names = " ".join(p.name for p in out.iterdir())
    groups = {g["country"]: g["articles"] for g in manifest["groups"]}
    assert "analysis failed" not in proc.stderr
    for code, seed in (("FR", "002_53184386e58433e0.txt"), ("CN", "003_a62c33f030ab2bec.txt"),
                       ("GB", "004_90430079087268a3.txt")):
        assert seed in groups.get(code, []), (code, groups.keys())
        assert f"_{code}_" in names, names
    for o in manifest["outputs"]:
        assert (out / o["path"]).is_file()
    # nothing written outside --out
    # (the one tolerated place is the user cache folder, where the country tables are kept)
    cache = str(home / ".cache" / "briefgen")
    after = {k: v for k, v in _files(tmp_path).items() if not k.startswith((str(out), cache))}
    assert after == before, set(after) ^ set(before)
