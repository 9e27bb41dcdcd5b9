"""The ``briefgen`` command ends with ``cli.exit_now``: exit handlers run and the standard
streams are flushed, then the process ends without freeing every object (see ``cli.run``).
These tests check that nothing a normal exit gives is lost: output, exit status, handlers,
threads still running."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT, run_cli


#: without PYTHONUNBUFFERED, so output waits in the streams' buffers until they are flushed
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)


def test_handlers_run_and_buffered_output_is_written_before_the_exit():
    r = _python(
        "import atexit, sys\n"
        "from briefgen.cli import exit_now\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.stdout.write('x' * 200000)\n"  # more than any stream buffer holds
        "sys.stderr.write('to stderr')\n"
        "exit_now(3)\n"
        "print('not reached')\n"
    )
    assert r.returncode == 3
    assert r.stdout == "x" * 200000 + "handler ran\n"
    assert r.stderr == "to stderr"


def test_a_message_as_the_code_goes_to_stderr_with_status_1_as_with_sys_exit():
    r = _python("from briefgen.cli import exit_now\nexit_now('briefgen: stopped')\n")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "briefgen: stopped\n")
    r = _python("from briefgen.cli import exit_now\nexit_now(None)\n")
    assert r.returncode == 0


def test_a_thread_still_running_is_waited_for():
    r = _python(
        "import threading, time\n"
        "from briefgen.cli import exit_now\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        "    print('thread finished', flush=True)\n"
        "threading.Thread(target=late).start()\n"
        "exit_now(4)\n"
    )
    assert r.returncode == 4
    assert r.stdout == "thread finished\n"


def test_an_output_that_cannot_be_flushed_gives_status_120_as_at_pythons_exit():
    """The reader has gone (``briefgen analyze | head``) before the last output is flushed."""
    code = "import sys, time\nfrom briefgen.cli import exit_now\ntime.sleep(0.5)\nsys.stdout.write('x')\n{end}\n"
    statuses = []
    for end in ("exit_now(0)", "sys.exit(0)"):  # ours, and Python's own exit for comparison
        p = subprocess.Popen([sys.executable, "-c", code.format(end=end)], cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        p.stdout.close()
        statuses.append(p.wait(timeout=120))
    assert statuses == [120, 120]


def test_a_stream_closed_on_purpose_is_not_an_error_as_at_pythons_exit():
    statuses = []
    for end in ("exit_now(0)", "sys.exit(0)"):
        r = _python(f"import sys\nfrom briefgen.cli import exit_now\nprint('done')\nsys.stdout.close()\n{end}\n")
        statuses.append(r.returncode)
    assert statuses == [0, 0]


def test_the_command_writes_its_whole_document_and_keeps_its_status():
    r = run_cli("analyze", "seeds", "--as-of", "2026-11-23", "--no-cache")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)  # the whole document: a truncated one would not parse
    assert len(doc["articles"]) == 5
    assert run_cli("build", "seeds", "--formats", "rtf").returncode == 2
    r = run_cli("analyze", "no-such-folder-here")
    assert r.returncode != 0 and "no-such-folder-here" in r.stderr.decode()


def test_no_font_folder_is_left_in_the_temp_folder(tmp_path):
    """WeasyPrint writes the fonts it loads into a temporary folder that only its font
    configuration's ``__del__`` removes, which a process ending with ``os._exit`` never runs:
    the command, each render worker and the render helper left 5.7 MB behind per run. The
    seeds' briefs rendered by the command itself (one worker) and by the render helper (two),
    and 60 articles' by a pool of two render workers."""
    import shutil

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    corpus = tmp_path / "corpus"
    synth.generate(corpus, 60, seed=3)
    for i, inputs in enumerate((["seeds", "--workers", "1"], ["seeds", "--workers", "2"], [str(corpus), "--workers", "2"])):
        temp = tmp_path / f"temp{i}"
        temp.mkdir()
        out = tmp_path / f"out{i}"
        r = run_cli("build", *inputs, "--out", str(out), "--as-of", "2026-11-23", "--no-cache", "--quiet",
                    env={"TMPDIR": str(temp)})
        assert r.returncode == 0, r.stderr
        assert len(list(out.glob("*.pdf"))) >= 3
        assert sorted(p.name for p in temp.iterdir()) == []
        shutil.rmtree(out)
