"""Command-line interface (Typer). Thin: parse options, call the pipeline, report progress.

Exit codes: 0 all good; 1 some inputs failed but the run finished; 2 usage or configuration
error; 3 an unexpected internal error (one line; set BRIEFGEN_DEBUG=1 for the traceback).
Heavy libraries are imported inside commands, so ``briefgen --help`` starts fast.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    name="briefgen",
    help=(
        "Turn multilingual news articles into per-country briefing documents.\n\n"
        "Example:  briefgen build seeds --out out"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class UsageError(Exception):
    """Bad option or configuration: exit code 2."""


def _err(msg: str) -> None:
    sys.stderr.write(f"briefgen: {msg}\n")


def _settings(**kw):
    from .config import load_settings

    try:
        return load_settings(**kw)
    except ValueError as e:
        raise UsageError(str(e)) from None


def _progress(total: int, quiet: bool, label: str):
    """A rich progress bar on a terminal; nothing when quiet or not a TTY."""
    if quiet or total < 20 or not sys.stderr.isatty():
        return None, lambda n=1: None
    from rich.progress import Progress

    p = Progress(transient=True)
    task = p.add_task(label, total=total)
    p.start()
    return p, lambda n=1: p.advance(task, n)


InputsArg = typer.Argument(..., help="Article files or folders (read recursively); '-' reads stdin.", show_default=False)
AsOfOpt = typer.Option(None, "--as-of", help="Date the brief is written for, YYYY-MM-DD (default: today).")
HomeOpt = typer.Option(None, "--home", help="Home country, ISO 3166-1 alpha-2 (default: detected).")
ConfigOpt = typer.Option(None, "--config", help="Config file (default: ./briefgen.toml if present).")
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress or summary on stderr.")
WorkersOpt = typer.Option(None, "--workers", "-j", help="Worker processes for analysis and rendering (default: number of cores).")
EngineOpt = typer.Option(None, "--engine", help="local (process pool, default) or dask.")
SchedulerOpt = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask; default: a local cluster).")
NoCacheOpt = typer.Option(False, "--no-cache", help="Read and recompute every article and render every file instead of reusing the cache.")
IncludeOpt = typer.Option(None, "--include", help="Only files in folders whose relative path matches this glob (repeatable), e.g. '*.html'.")
ExcludeOpt = typer.Option(None, "--exclude", help="Skip files in folders whose relative path matches this glob (repeatable).")


def _run_options(settings, workers, engine, scheduler, no_cache, include=None, exclude=None):
    """Apply --workers/--engine/--scheduler/--no-cache/--include/--exclude to the settings."""
    kw = {}
    if include:
        kw["include"] = tuple(include)
    if exclude:
        kw["exclude"] = tuple(exclude)
    if workers is not None:
        if workers < 0:
            raise UsageError(f"--workers: {workers} (use 0 for the number of cores)")
        kw["workers"] = workers
    if engine is not None:
        if engine.lower() not in ("local", "dask"):
            raise UsageError(f"--engine: '{engine}' (choose local or dask)")
        kw["engine"] = engine.lower()
    if scheduler:
        kw["scheduler"] = scheduler
        kw.setdefault("engine", "dask")
    if no_cache:
        kw["use_cache"] = False
    return settings.with_(**kw) if kw else settings


@app.command(epilog="Example:  briefgen build seeds --out out --as-of 2026-11-23 --format pdf,docx")
def build(
    inputs: List[str] = InputsArg,
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
    as_of: Optional[str] = AsOfOpt,
    home: Optional[str] = HomeOpt,
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="Comma-separated: pdf,docx,html,md,json (default: pdf,docx)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Output language of labels and dates: en, vi."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Folder with your own brief templates."),
    styles: Optional[Path] = typer.Option(None, "--styles", help="Folder with your own brief.css, reference.docx, logo."),
    pdf_variant: Optional[str] = typer.Option(None, "--pdf-variant", help="pdf/ua-1 (default, tagged), pdf/a-3u (archive), none."),
    page_size: Optional[str] = typer.Option(None, "--page-size", help="A4 (default) or Letter."),
    config: Optional[Path] = ConfigOpt,
    quiet: bool = QuietOpt,
    workers: Optional[int] = WorkersOpt,
    engine: Optional[str] = EngineOpt,
    scheduler: Optional[str] = SchedulerOpt,
    no_cache: bool = NoCacheOpt,
    include: Optional[List[str]] = IncludeOpt,
    exclude: Optional[List[str]] = ExcludeOpt,
    country: Optional[List[str]] = typer.Option(None, "--country", "-c", help="Only this partner's brief: ISO code or name in any language, e.g. FR, France, Pháp (repeatable)."),
) -> None:
    """Write one brief per partner country (DOCX and PDF by default) into --out."""
    from . import pipeline
    from .manifest import write_manifest

    settings = _settings(
        config=config, as_of=as_of, home=home, formats=fmt, output_lang=lang, templates_dir=templates,
        styles_dir=styles, pdf_variant=pdf_variant, page_size=page_size, quiet=quiet,
    )
    settings = _run_options(settings, workers, engine, scheduler, no_cache, include, exclude)
    from .progress import Bar

    bar = Bar(quiet)
    _check_out(out)
    failures: list[str] = []

    def on_error(line: str) -> None:
        failures.append(line)
        _err(line)

    from .parallel import RenderHelper

    with RenderHelper(settings) as helper:  # a small job's PDFs: WeasyPrint loads while we analyse
        corpus = pipeline.run_analysis(inputs, settings, on_error=on_error, progress=bar, detail=False,
                                       after_read=helper.start_if_small)
        bar.stop()
        if not corpus.articles:
            write_manifest(out, corpus.inputs, [], settings, command="build")
            raise UsageError("no readable articles in the input" + (f" ({len(failures)} file(s) failed)" if failures else ""))
        if country:
            groups, unknown = pipeline.select_groups(corpus, country)
            if unknown:
                found = ", ".join(f"{g.country} ({g.name})" for g in corpus.groups) or "none"
                raise UsageError(f"--country {unknown[0]}: no brief for it in the input (partners found: {found})")
            corpus.groups = groups
        briefs = pipeline.make_briefs(corpus, settings)
        n_articles = len(corpus.articles)
        # the briefs hold what the files need: the analyses go before the render pool forks, so
        # their memory is returned instead of shared with (and copied into) the render processes
        corpus.articles = []
        outputs = pipeline.write_briefs(briefs, out, settings, progress=bar, helper=helper)
    bar.stop()
    write_manifest(out, corpus.inputs, outputs, settings, command="build", groups=corpus.groups)
    if not quiet:
        _err(f"{n_articles} article(s), {len(briefs)} brief(s) -> {out}/" + (f"; {len(failures)} input(s) failed" if failures else ""))
        for o in outputs:
            _err(f"  {o['path']}")
    if failures:
        raise typer.Exit(1)


@app.command(epilog="Example:  briefgen analyze seeds --as-of 2026-11-23 --home VN > analysis.json")
def analyze(
    inputs: List[str] = InputsArg,
    as_of: Optional[str] = AsOfOpt,
    home: Optional[str] = HomeOpt,
    explain: Optional[str] = typer.Option(None, "--explain", help="Print to stderr why each country was or was not taken for FILE (an article id or path)."),
    full: bool = typer.Option(False, "--full", help="Also include sentences, classes, dates and country scores."),
    config: Optional[Path] = ConfigOpt,
    quiet: bool = QuietOpt,
    workers: Optional[int] = WorkersOpt,
    engine: Optional[str] = EngineOpt,
    scheduler: Optional[str] = SchedulerOpt,
    no_cache: bool = NoCacheOpt,
    include: Optional[List[str]] = IncludeOpt,
    exclude: Optional[List[str]] = ExcludeOpt,
) -> None:
    """Print the analysis of the articles as JSON on stdout (schema in the README)."""
    from . import pipeline
    from .jsonout import write_corpus_json

    settings = _run_options(_settings(config=config, as_of=as_of, home=home, quiet=quiet), workers, engine, scheduler, no_cache,
                            include, exclude)
    from .progress import Bar

    failures: list[str] = []

    def on_error(line: str) -> None:
        failures.append(line)
        _err(line)

    with Bar(quiet) as bar:
        corpus = pipeline.run_analysis(inputs, settings, on_error=on_error, progress=bar, detail="later" if full else False)
    report = _explain(corpus, explain) if explain else None  # a wrong --explain fails before any output
    sys.stdout.flush()
    write_corpus_json(sys.stdout.buffer, corpus, full=full)
    sys.stdout.buffer.flush()
    if report:
        sys.stderr.write(report)
    if failures:
        raise typer.Exit(1)


@app.command(epilog="Example:  briefgen countries seeds --explain 004_90430079087268a3.txt")
def countries(
    inputs: List[str] = InputsArg,
    home: Optional[str] = HomeOpt,
    explain: Optional[str] = typer.Option(None, "--explain", help="Show why each country was or was not taken for FILE."),
    config: Optional[Path] = ConfigOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Print a table of groups: articles, languages and date range per partner country."""
    from rich.console import Console
    from rich.table import Table

    from . import pipeline

    settings = _settings(config=config, home=home, quiet=quiet)
    failures: list[str] = []
    corpus = pipeline.run_analysis(inputs, settings, on_error=lambda line: (failures.append(line), _err(line)), detail=False)
    by_id = {a.id: a for a in corpus.articles}
    table = Table(title=f"Groups (home country: {corpus.home_country or 'not detected'})")
    for col in ("group", "kind", "articles", "languages", "date range"):
        table.add_column(col)
    for g in corpus.groups:
        arts = [by_id[i] for i in g.articles]
        dates = sorted(d for d in (a.event_date or a.published for a in arts) if d)
        rng = f"{dates[0]} – {dates[-1]}" if dates else "undated"
        if dates and len(dates) < len(arts):
            rng += f" ({len(arts) - len(dates)} undated)"
        table.add_row(f"{g.country} {g.name}", g.kind, str(len(arts)), ", ".join(sorted({a.language for a in arts})), rng)
    report = _explain(corpus, explain) if explain else None
    Console(width=120).print(table)
    if report:
        sys.stderr.write(report)
    if failures:
        raise typer.Exit(1)


cache_app = typer.Typer(help="The cache of read articles, per-article analysis and rendered files (reused across runs).",
                        no_args_is_help=True)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Show where the cache is, how many articles and rendered files it holds and its size."""
    from .cache import (ANALYSIS_CACHE_MAX_BYTES, ARTICLE_CACHE_MAX_BYTES, RENDER_CACHE_MAX_BYTES, AnalysisCache,
                        ArticleCache, RenderCache, name_tables_bytes)

    info = AnalysisCache().info()
    rendered = RenderCache(info["path"]).info()
    read = ArticleCache(info["path"]).info()
    lines = [f"path: {info['path']}",
             f"entries: {info['entries']} (article analyses; least recently used removed above "
             f"{ANALYSIS_CACHE_MAX_BYTES / 1e6:.0f} MB)",
             f"read articles: {read['entries']} files, {read['bytes'] / 1e6:.1f} MB (what the readers made of "
             f"each input file; least recently used removed above {ARTICLE_CACHE_MAX_BYTES / 1e6:.0f} MB)"]
    if info["stale_entries"]:
        lines.append(f"from older versions: {info['stale_entries']} entries, {info['stale_bytes'] / 1e6:.1f} MB "
                     "(never read again; 'briefgen cache clear' removes them)")
    lines.append(f"rendered files: {rendered['entries']}, {rendered['bytes'] / 1e6:.1f} MB "
                 f"(least recently used removed above {RENDER_CACHE_MAX_BYTES / 1e6:.0f} MB)")
    tables = name_tables_bytes(info["path"])
    if tables:
        lines.append(f"country name tables: {tables / 1e6:.1f} MB (built from CLDR, GeoNames and "
                     "ISO 3166-2 on a first run, and again when those or briefgen change)")
    lines.append(f"size: {info['bytes'] / 1e6:.1f} MB")
    sys.stdout.write("\n".join(lines) + "\n")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every read article, cached analysis, rendered file and the country name tables (the
    next run builds the tables again, ~2 s, then reads, analyses and renders everything)."""
    from .cache import AnalysisCache, ArticleCache, RenderCache, clear_name_tables

    c = AnalysisCache()
    n = c.clear()
    m = RenderCache(c.root).clear()
    k = ArticleCache(c.root).clear()
    tables = clear_name_tables(c.root)
    parts = [f"{k} read file{'' if k == 1 else 's'}", f"{n} cached analysis entr{'y' if n == 1 else 'ies'}",
             f"{m} rendered file{'' if m == 1 else 's'}"]
    if tables:
        parts.append("the country name tables")
    _err(f"removed {', '.join(parts[:-1])} and {parts[-1]} from {c.root}")


def _explain(corpus, which: str) -> str:
    from .jsonout import explain_countries

    matches = [a for a in corpus.articles if a.id == which or a.path == which or Path(a.path).name == Path(which).name]
    if not matches:
        raise UsageError(f"--explain: no article '{which}' in the input")
    return "".join(explain_countries(a, corpus.home_country) + "\n" for a in matches)


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out {out}: cannot create the folder ({e.strerror or e})") from None
    if not os.access(out, os.W_OK):
        raise UsageError(f"--out {out}: the folder is not writable")


MailToOpt = typer.Option(None, "--to", help="Recipient (repeatable); added to [recipients] from the config file.")
SmtpHostOpt = typer.Option(None, "--smtp-host", help="SMTP server (default: smtp.host from the config, else localhost).")
SmtpPortOpt = typer.Option(None, "--smtp-port", help="SMTP port (default: 587 starttls, 465 tls, 25 none).")
SmtpSecurityOpt = typer.Option(None, "--smtp-security", help="starttls (default), tls, or none (trusted local relay only).")
OneMessageOpt = typer.Option(False, "--one-message", help="All PDFs in one message (default: one message per country).")


@app.command(epilog=(
    "Example:  briefgen report feeds/ --month previous --out reports --send\n\n"
    "Exit codes: 0 all good; 1 some inputs or outputs failed (or a message was not delivered) but the report "
    "was written; 2 usage or configuration error, or another run of the same period held the lock longer "
    "than --lock-timeout; 3 internal error."
))
def report(
    inputs: List[str] = InputsArg,
    month: Optional[str] = typer.Option(None, "--month", "-m", help="YYYY-MM, 'previous' or 'current'."),
    since: Optional[str] = typer.Option(None, "--since", help="First day of a custom period, YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, "--until", help="Last day of a custom period, YYYY-MM-DD (default: today)."),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="Reports folder; the period goes in OUT/YYYY-MM/."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date the briefs are written for (default: last day of the period)."),
    home: Optional[str] = HomeOpt,
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="Comma-separated: pdf,docx,html,md (default: pdf,docx; JSON is always written)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Output language of labels and dates: en, vi."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Folder with your own templates."),
    styles: Optional[Path] = typer.Option(None, "--styles", help="Folder with your own brief.css, reference.docx, logo."),
    lock_timeout: float = typer.Option(600.0, "--lock-timeout", help="Seconds to wait for another run of the same period."),
    workers: Optional[int] = WorkersOpt,
    engine: Optional[str] = EngineOpt,
    scheduler: Optional[str] = SchedulerOpt,
    no_cache: bool = NoCacheOpt,
    include: Optional[List[str]] = IncludeOpt,
    exclude: Optional[List[str]] = ExcludeOpt,
    send: bool = typer.Option(False, "--send", help="E-mail the PDFs when the report is written (see 'briefgen send')."),
    to: Optional[List[str]] = MailToOpt,
    one_message: bool = OneMessageOpt,
    smtp_host: Optional[str] = SmtpHostOpt,
    smtp_port: Optional[int] = SmtpPortOpt,
    smtp_security: Optional[str] = SmtpSecurityOpt,
    config: Optional[Path] = ConfigOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Log only warnings and errors on stderr."),
) -> None:
    """Write the briefs of one month (or --since/--until) with an overview and manifest.json."""
    from . import report as rep

    rep.setup_logging(quiet)
    settings = _settings(
        config=config, as_of=as_of, home=home, formats=fmt, output_lang=lang, templates_dir=templates,
        styles_dir=styles, quiet=quiet,
    )
    settings = _run_options(settings, workers, engine, scheduler, no_cache, include, exclude)
    if lock_timeout < 0:
        raise UsageError("--lock-timeout must be 0 or more seconds")
    try:
        period = rep.parse_period(month, since, until)
        if send:  # check the mail settings before spending minutes on the report
            from . import mail

            if not mail.smtp_options(settings, smtp_host, smtp_port, smtp_security).sender:
                raise UsageError("--send: no sender address: set smtp.from in the config file")
        result = rep.run_report(inputs, out, period, settings, as_of=settings.as_of if as_of else None,
                                lock_timeout=lock_timeout)
    except rep.ReportError as e:
        raise UsageError(str(e)) from None
    except Exception as e:
        from .mail import MailError

        if isinstance(e, MailError):
            raise UsageError(str(e)) from None
        raise
    code = result.exit_code
    if send:
        code = max(code, _send(settings, [str(result.folder)], to or [], one_message, False, None, smtp_host,
                               smtp_port, smtp_security, None, None))
    if code:
        raise typer.Exit(code)


@app.command(name="send", epilog=(
    "Example:  BRIEFGEN_SMTP_USER=me BRIEFGEN_SMTP_PASSWORD=... briefgen send reports/2026-11 --to desk@example.org\n\n"
    "Exit codes: 0 all sent (or drafts written); 1 a message could not be delivered; 2 usage or configuration "
    "error (bad address, no recipients, message over --max-size, missing file); 3 internal error."
))
def send_cmd(
    paths: List[str] = typer.Argument(..., help="A report folder (its PDFs) or PDF files.", show_default=False),
    to: Optional[List[str]] = MailToOpt,
    one_message: bool = OneMessageOpt,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be sent; send nothing."),
    eml: Optional[Path] = typer.Option(None, "--eml", help="Write .eml drafts (X-Unsent: 1) into this folder instead of sending."),
    smtp_host: Optional[str] = SmtpHostOpt,
    smtp_port: Optional[int] = SmtpPortOpt,
    smtp_security: Optional[str] = SmtpSecurityOpt,
    sender: Optional[str] = typer.Option(None, "--from", help="Sender address (default: smtp.from in the config)."),
    max_size: Optional[str] = typer.Option(None, "--max-size", help="Largest message, e.g. 20MB (default: 20MB or smtp.max_size)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of the message labels: en, vi."),
    config: Optional[Path] = ConfigOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Log only warnings and errors on stderr."),
) -> None:
    """E-mail briefs (PDF attachments, text and HTML body) to their recipients."""
    from .report import setup_logging

    setup_logging(quiet)
    settings = _settings(config=config, output_lang=lang, quiet=quiet)
    code = _send(settings, paths, to or [], one_message, dry_run, eml, smtp_host, smtp_port, smtp_security, sender, max_size)
    if code:
        raise typer.Exit(code)


def _send(settings, paths, to, one_message, dry_run, eml, host, port, security, sender, max_size) -> int:
    from . import mail

    try:
        return mail.run_send(paths, settings, to, one_message=one_message, dry_run=dry_run, eml=eml, host=host,
                             port=port, security=security, sender=sender, max_size=max_size)
    except (mail.MailError, ValueError) as e:
        raise UsageError(str(e)) from None


@app.command(name="fetch", epilog=(
    "Example:  briefgen fetch https://nhandan.vn/some-article.html --out pages && briefgen build pages --out out\n\n"
    "Exit codes: 0 every page saved; 1 some URLs failed (the others are saved); 2 usage error."
))
def fetch_cmd(
    urls: Optional[List[str]] = typer.Argument(None, help="Page URLs (http or https).", show_default=False),
    out: Path = typer.Option(Path("pages"), "--out", "-o", help="Folder the pages are saved into."),
    from_file: Optional[Path] = typer.Option(None, "--from", help="File with one URL per line ('#' starts a comment; '-' is stdin)."),
    config: Optional[Path] = ConfigOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Save web pages as files for a later build (the only command that uses the network)."""
    from .fetch import fetch

    settings = _settings(config=config, quiet=quiet)
    todo = list(urls or [])
    if from_file is not None:
        try:
            text = sys.stdin.read() if str(from_file) == "-" else from_file.read_text("utf-8")
        except OSError as e:
            raise UsageError(f"--from: cannot read {from_file} ({e.strerror or e})") from None
        todo += [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not todo:
        raise UsageError("no URLs given (pass them as arguments or with --from FILE)")
    _check_out(out)
    records = fetch(todo, out, settings)
    failed = [r for r in records if r.status != "used"]
    for r in records:
        if r.status != "used":
            _err(f"{r.path}: {r.reason}")
        elif not quiet:
            _err(f"saved {r.path} ({r.reason})")
    if not quiet:
        _err(f"{len(records) - len(failed)} of {len(records)} page(s) saved in {out}/")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    try:
        rc = app(standalone_mode=False)  # click returns (not raises) the code of typer.Exit here
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except UsageError as e:
        _err(f"error: {e}")
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except Exception as e:  # click usage errors and unexpected failures: one line, no traceback
        import click

        abort, usage = (click.exceptions.Abort, typer.Abort), (click.ClickException,)
        try:  # recent typer raises the exceptions of its vendored copy of click
            from typer._click.exceptions import ClickException as _TyperClickException

            usage += (_TyperClickException,)
        except ImportError:
            pass
        if isinstance(e, abort):
            _err("aborted")
            sys.exit(130)
        if isinstance(e, usage):
            e.show()
            sys.exit(2)
        if os.environ.get("BRIEFGEN_DEBUG"):
            raise
        _err(f"internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        sys.exit(3)


def run() -> None:
    """The ``briefgen`` command: ``main``, then a quick exit.

    Python's own exit frees every object one by one before the process ends: the country
    tables, lingua's models, the compiled patterns and the modules, ~0.13 s after a brief is
    written (7% of the meeting case, and the tail of every command). Once ``main`` is done
    nothing needs them, so the exit handlers run (multiprocessing joins its children, logging
    flushes, temporary folders go), the standard streams are flushed and the process ends
    there. While another thread still runs, the exit is Python's usual one, which waits for it."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    exit_now(code)


def exit_now(code: int | str | None = 0) -> None:
    """End the process with ``code`` as ``sys.exit`` would, without freeing its objects first
    (see ``run``). A message instead of a number is written to stderr with status 1, as by
    ``sys.exit``; a standard stream that cannot be flushed (a closed pipe) gives status 120, as
    at Python's exit."""
    import atexit
    import threading

    if threading.active_count() > 1 or not hasattr(atexit, "_run_exitfuncs"):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    atexit._run_exitfuncs()  # the registered handlers, as Python's exit runs them (CPython; checked above)
    for stream in (sys.stdout, sys.stderr):
        if stream is None or getattr(stream, "closed", False):
            continue  # (as at Python's exit: a stream closed on purpose is not an error)
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader has gone (a closed pipe)
            status = status or 120
    os._exit(status & 0xFF)


if __name__ == "__main__":
    run()
