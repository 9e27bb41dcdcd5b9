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


@pytest.fixture(scope="session", autouse=True)
def _session_cache_dir(tmp_path_factory):
    """The caches (analyses, rendered files, country tables) of this session's runs, in-process
    and through the CLI, go to a folder of the session's own: never the user's cache, and
    nothing left by an earlier session."""
    saved = os.environ.get("BRIEFGEN_CACHE_DIR")
    os.environ["BRIEFGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("briefgen-cache"))
    yield
    if saved is None:
        os.environ.pop("BRIEFGEN_CACHE_DIR", None)
    else:
        os.environ["BRIEFGEN_CACHE_DIR"] = saved


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, input: bytes | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ)
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
