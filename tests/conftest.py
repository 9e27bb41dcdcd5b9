"""Shared fixtures: the seeds built once per test session, through the real CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
AS_OF = "2026-11-23"
EXPECTED = ROOT.parent / "shared" / "acceptance" / "seeds-expected.json"
# the analysis and render caches of in-process runs (on by default) stay out of the user's cache
os.environ.setdefault("BRIEFGEN_CACHE_DIR", str(Path(os.environ.get("PYTEST_TMP_CACHE", "/tmp")) / "briefgen-test-cache"))


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: bytes | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.setdefault("BRIEFGEN_CACHE_DIR", str(Path(os.environ.get("PYTEST_TMP_CACHE", "/tmp")) / "briefgen-test-cache"))
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd or ROOT, env=e, capture_output=True, input=input, timeout=600)


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds-out")
    r = run_cli("build", str(SEEDS), "--out", str(out), "--as-of", AS_OF, "--format", "pdf,docx,json,md,html", "--quiet")
    assert r.returncode == 0, r.stderr.decode()
    return out


@pytest.fixture(scope="session")
def seeds_analysis() -> dict:
    r = run_cli("analyze", str(SEEDS), "--as-of", AS_OF)
    assert r.returncode == 0, r.stderr.decode()
    return json.loads(r.stdout)


@pytest.fixture(scope="session")
def expected() -> dict:
    if not EXPECTED.is_file():
        pytest.skip("acceptance file not available")
    return json.loads(EXPECTED.read_text("utf-8"))
