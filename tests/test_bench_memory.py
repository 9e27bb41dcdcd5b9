"""The benchmark's memory sampler (benchmarks/bench.py, ``TreeMemory`` and ``run_timed``).

Its figures go into the README: the peak must include the children of the process it watches,
PSS must be read no more often than asked (reading it costs the timed processes CPU), and a
timed run must not be sampled at all."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("psutil")
if not sys.platform.startswith("linux"):
    pytest.skip("PSS is read from /proc", allow_module_level=True)

_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

# a parent that starts a child holding 120 MB (touched, so resident) for a second
_TREE = (
    "import subprocess, sys\n"
    "child = 'b = bytearray(120 * 2**20)\\nfor i in range(0, len(b), 4096): b[i] = 1\\nimport time; time.sleep(1.0)'\n"
    "subprocess.run([sys.executable, '-c', child], check=True)\n"
)


def test_the_peak_counts_the_children_and_pss_is_read_as_often_as_asked(monkeypatch):
    samples, pss_reads = [], []
    original = bench.TreeMemory._sample

    def counting(self, with_pss):
        now = time.monotonic()
        samples.append(now)
        if with_pss:
            pss_reads.append(now)
        return original(self, with_pss)

    monkeypatch.setattr(bench.TreeMemory, "_sample", counting)
    p = subprocess.Popen([sys.executable, "-c", _TREE])
    with bench.TreeMemory(p.pid, interval=0.05, pss_interval=0.5) as mem:
        p.wait()
    assert p.returncode == 0
    assert mem.peak_mb >= 120  # the memory of the watched process's child is in the tree's peak
    assert mem.peak_single_mb >= 120
    assert mem.peak_pss_mb and mem.peak_pss_mb >= 100
    # RSS at every sample, PSS at the first and then never sooner than 0.5 s after the last
    # (less a margin: the sampler decides a moment before it calls _sample)
    assert len(samples) >= 10 and len(pss_reads) >= 1
    assert pss_reads[0] == samples[0]
    assert all(b - a >= 0.45 for a, b in zip(pss_reads, pss_reads[1:]))
    assert len(pss_reads) < len(samples)
    assert mem.cpu_s > 0


def test_a_timed_run_is_not_sampled(monkeypatch):
    made = []
    original = bench.TreeMemory.__init__

    def recording(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(bench.TreeMemory, "__init__", recording)
    t0 = time.perf_counter()
    wall, mem, code, _err = bench.run_timed([sys.executable, "-c", "pass"])
    assert code == 0 and mem is None and not made
    assert 0 < wall <= time.perf_counter() - t0
    wall, mem, code, _err = bench.run_timed([sys.executable, "-c", "pass"], memory=True)
    assert code == 0 and mem is not None and made == [mem]
