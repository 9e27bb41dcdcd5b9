"""Periodic reports: the briefs of one month (or any date range) in their own folder.

``briefgen report INPUT... --month 2026-11 --out reports`` writes ``reports/2026-11/``:

* one brief per partner country with articles *dated* in the period (the article date is
  ``ArticleAnalysis.event_date``, else the publication date), in the configured formats plus
  JSON (the JSON brief is what next month's run compares against; the mailer does not attach it);
* an overview (one-page PDF and HTML, plus JSON): countries, article counts, next milestones
  across all countries and what changed since the previous period;
* ``manifest.json``, written last: every input (path, sha256, status used / skipped with a
  reason / failed with the error, article date) and every output (path, sha256, bytes, pages).

Safe under cron or a systemd timer: one run per period at a time (a file lock on
``<period>/.lock``), every file written atomically (temp file + rename), the manifest last, so a
mailer that reads the manifest never picks up a half-written PDF. Same inputs and options give
byte-identical files. Files a previous run of the same period listed and this run no longer
writes are removed after the new manifest is in place.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .model import Brief, Corpus, Group
from .settings import Settings

log = logging.getLogger("briefgen.report")

UNDATED_REASON = "undated: not assigned to a period"
CHANGE_KINDS = ("New commitments", "New or moved milestones", "Milestones passed")
MANIFEST = "manifest.json"
LOCK_NAME = ".lock"


class ReportError(Exception):
    """A usage or configuration problem (exit code 2)."""


class LockBusy(ReportError):
    pass


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    name: str  # folder name: 2026-11 or 2026-11-01_2026-11-15
    start: dt.date
    end: dt.date
    kind: str = "month"  # month | range

    def previous_month_name(self) -> str | None:
        if self.kind != "month":
            return None
        first = self.start - dt.timedelta(days=1)
        return f"{first.year:04d}-{first.month:02d}"


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(f"{year:04d}-{month:02d}", start, nxt - dt.timedelta(days=1), "month")


def parse_period(month: str | None = None, since: str | None = None, until: str | None = None,
                 today: dt.date | None = None) -> Period:
    """--month YYYY-MM | previous | current, or --since YYYY-MM-DD [--until YYYY-MM-DD]."""
    today = today or dt.date.today()
    if month and (since or until):
        raise ReportError("give either --month or --since/--until, not both")
    if month:
        m = month.strip().lower()
        if m in ("previous", "last"):
            first = today.replace(day=1) - dt.timedelta(days=1)
            return month_period(first.year, first.month)
        if m in ("current", "this"):
            return month_period(today.year, today.month)
        mm = _MONTH.match(m)
        if not mm or not 1 <= int(mm.group(2)) <= 12 or int(mm.group(1)) < 1900:
            raise ReportError(f"--month: '{month}' is not a month (YYYY-MM, 'previous' or 'current')")
        return month_period(int(mm.group(1)), int(mm.group(2)))
    if until and not since:
        raise ReportError("--until needs --since")
    if not since:
        raise ReportError("say which period: --month YYYY-MM, --month previous, or --since YYYY-MM-DD [--until YYYY-MM-DD]")
    s = _iso_day(since, "--since")
    u = _iso_day(until, "--until") if until else today
    if u < s:
        raise ReportError(f"--until {u} is before --since {s}")
    return Period(f"{s.isoformat()}_{u.isoformat()}", s, u, "range")


def _iso_day(value: str, opt: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ReportError(f"{opt}: '{value}' is not a date (YYYY-MM-DD)") from None


def date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """First and last day an ISO value at any precision denotes; None when it is not one."""
    from .isodate import interval

    return interval(value)


def placement(date: str | None, period: Period) -> str:
    """'in', 'before', 'after', 'undated' or 'imprecise' (a year or quarter straddling the period)."""
    if not date:
        return "undated"
    b = date_bounds(date)
    if b is None:
        return "undated"
    lo, hi = b
    if period.start <= lo and hi <= period.end:
        return "in"
    if hi < period.start:
        return "before"
    if lo > period.end:
        return "after"
    return "imprecise"


def _analysis_failed(a) -> bool:
    """The pipeline keeps an article whose analysis raised as an empty record (language 'und',
    no sentences); such an input is reported as failed, not as undated."""
    return a.language == "und" and not (a.sentence_count or a.sentences)


def article_date(a) -> tuple[str | None, str | None]:
    if a.event_date:
        return a.event_date, a.event_date_source or "text"
    if a.published:
        return a.published, "published"
    return None, None


# --------------------------------------------------------------------------- membership


def assign(corpus: Corpus, period: Period) -> tuple[Corpus, list[dict]]:
    """The corpus restricted to articles dated in the period, and one manifest record per input."""
    by_id = {a.id: a for a in corpus.articles}
    keep: set[str] = set()
    placed: dict[str, tuple[str, str | None, str | None]] = {}
    for a in corpus.articles:
        d, src = article_date(a)
        where = "failed" if _analysis_failed(a) else placement(d, period)
        placed[a.id] = (where, d, src)
        if where == "in":
            keep.add(a.id)

    records = []
    for rec in corpus.inputs:
        out = {"path": rec.path, "sha256": rec.sha256, "status": rec.status}
        if rec.status != "used":
            out["reason"] = rec.reason or rec.status
            out["article_date"] = None
            records.append(out)
            continue
        arts = [(i, placed[i]) for i in rec.article_ids if i in placed]
        inside = [(i, p) for i, p in arts if p[0] == "in"]
        if inside:
            out["article_date"] = inside[0][1][1]
            out["date_source"] = inside[0][1][2]
            countries = sorted({c for i, _ in inside for c in by_id[i].partners + by_id[i].organisations})
            out["countries"] = countries
            if not countries:
                out["note"] = "no partner country found"
        elif not arts:
            out.update(status="skipped", reason="no article text", article_date=None)
        elif all(p[0] == "failed" for _, p in arts):
            out.update(status="failed", reason="analysis failed (the log says why)", article_date=None)
        else:
            where, d, src = next((p for _, p in arts if p[0] != "failed"), arts[0][1])
            out["status"] = "skipped"
            out["article_date"] = d
            if d:
                out["date_source"] = src
            if where == "undated":
                out["reason"] = UNDATED_REASON
            elif where == "imprecise":
                out["reason"] = f"imprecise date {d}: not assigned to a period"
            else:
                out["reason"] = f"outside the period ({where} {period.start.isoformat() if where == 'before' else period.end.isoformat()})"
        if len(rec.article_ids) > 1:
            out["articles"] = [
                {"id": i, "date": placed[i][1], "placement": placed[i][0]} for i in rec.article_ids if i in placed
            ]
        records.append(out)

    groups = []
    for g in corpus.groups:
        ids = [i for i in g.articles if i in keep]
        if ids:
            groups.append(Group(country=g.country, name=g.name, kind=g.kind, articles=ids))
    groups.sort(key=lambda g: (g.kind != "country", -len(g.articles), g.country))
    sub = Corpus(as_of=corpus.as_of, home_country=corpus.home_country,
                 articles=[a for a in corpus.articles if a.id in keep], groups=groups, inputs=corpus.inputs)
    return sub, records


# --------------------------------------------------------------------------- changes


def _norm(text: str) -> str:
    from .util import fold

    return " ".join(re.sub(r"[\W_]+", " ", fold(text or "")).split())


def _grams(text: str) -> set[str]:
    t = _norm(text)
    return {t[i:i + 3] for i in range(max(len(t) - 2, 1))} if t else set()


def similarity(a: str, b: str) -> float:
    """Character-trigram Jaccard on folded text: works the same for every script."""
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def _milestone_dates(row: dict) -> tuple[str, str | None]:
    d = row.get("date") or ""
    if "/" in d:
        a, b = d.split("/", 1)
        return a, b
    return d, None


def _same_milestone(a: dict, b: dict) -> bool:
    if a.get("kind") != b.get("kind"):
        return False
    s = similarity(a.get("what", ""), b.get("what", ""))
    same_place = bool(a.get("place")) and _norm(a.get("place") or "") == _norm(b.get("place") or "")
    return s >= 0.55 or (same_place and s >= 0.3)


def _dicts(value) -> list[dict]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def compute_changes(current: Brief, previous: dict | None, lang: str | None = None) -> dict[str, list[str]]:
    """What changed since the previous period's brief of the same country (its JSON form).

    * New commitments: this period's commitments not made (in similar words) last period.
    * New or moved milestones: milestones not in the previous brief, or in it with another date.
    * Milestones passed: milestones the previous brief showed as upcoming or due whose date is
      now before the as-of date.
    """
    from .brief import milestone_status
    from .i18n import format_range, gettext

    lang = lang or current.output_lang
    if previous is None:
        return {}
    as_of = dt.date.fromisoformat(current.as_of)
    prev_commit = [str(c.get("text", "")) for c in _dicts(previous.get("commitments"))]
    new_commit = []
    for c in current.commitments:
        if any(similarity(c.text, p) >= 0.6 for p in prev_commit):
            continue
        new_commit.append((f"{c.who}: " if c.who else "") + c.text)

    prev_ms = [m for m in _dicts(previous.get("milestones")) if isinstance(m.get("date"), str) and isinstance(m.get("what", ""), str)]
    new_moved = []
    for m in current.milestones:
        cur = {"date": m.date, "kind": m.kind, "what": m.what, "place": m.place}
        if m.status not in ("upcoming", "due"):
            continue
        match = next((p for p in prev_ms if _same_milestone(cur, p)), None)
        if match is None:
            new_moved.append(f"{m.date_display} — {m.what}" + (f" ({m.place})" if m.place else ""))
        elif match.get("date") != m.date:
            was = match.get("date_display") or match.get("date")
            new_moved.append(f"{m.what}: {gettext('moved from', lang)} {was} {gettext('to', lang)} {m.date_display}")

    passed = []
    seen = set()
    for p in prev_ms:
        if p.get("status") not in ("upcoming", "due"):
            continue
        start, end = _milestone_dates(p)
        if date_bounds(start) is None or (end and date_bounds(end) is None):
            continue
        if milestone_status(start, end, as_of) != "passed":
            continue
        key = (p.get("date"), _norm(p.get("what", "")))
        if key in seen:
            continue
        seen.add(key)
        shown = p.get("date_display") or format_range(start, end, lang)
        passed.append(f"{shown} — {p.get('what', '')}" + (f" ({p['place']})" if p.get("place") else ""))

    out = {}
    for kind, lines in zip(CHANGE_KINDS, (new_commit, new_moved, passed)):
        out[gettext(kind, lang)] = lines
    return out


# --------------------------------------------------------------------------- previous output


def read_manifest(folder: Path) -> dict | None:
    try:
        doc = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def find_previous(out: Path, period: Period) -> tuple[str, Path, dict] | None:
    """The latest earlier report under ``out`` (by period end before this period's start)."""
    best = None
    if not out.is_dir():
        return None
    for child in out.iterdir():
        if not child.is_dir() or child.name.startswith(".") or child.name == period.name:
            continue
        doc = read_manifest(child)
        if not doc or doc.get("command") != "report" or not isinstance(doc.get("period"), dict):
            continue
        try:
            end = dt.date.fromisoformat(doc["period"]["until"])
        except (KeyError, TypeError, ValueError):
            continue
        if end < period.start and (best is None or end > best[0]):
            best = (end, child, doc)
    if best is None:
        return None
    return best[1].name, best[1], best[2]


def previous_briefs(folder: Path, manifest: dict) -> dict[str, dict]:
    """country -> JSON brief of the previous period."""
    out = {}
    for o in manifest.get("outputs", []):
        if o.get("format") != "json" or o.get("role") != "brief" or not o.get("country"):
            continue
        p = (folder / o["path"]).resolve()
        if not p.is_relative_to(folder.resolve()):
            continue
        try:
            doc = json.loads(p.read_text("utf-8"))
        except (OSError, ValueError):
            log.warning("previous brief %s unreadable; no changes for %s", p, o["country"])
            continue
        if isinstance(doc, dict):
            out[o["country"]] = doc
    return out


# --------------------------------------------------------------------------- the run


@dataclass
class ReportResult:
    period: Period
    folder: Path
    manifest: Path
    outputs: list[dict] = field(default_factory=list)
    failed_inputs: int = 0
    failed_outputs: int = 0
    briefs: int = 0
    compared_with: str | None = None

    @property
    def exit_code(self) -> int:
        return 1 if (self.failed_inputs or self.failed_outputs) else 0


def _record(path: Path, folder: Path, **extra) -> dict:
    from .pipeline import output_record

    return output_record(path, folder, **extra)


def run_report(inputs: list[str], out: Path, period: Period, settings: Settings, *, as_of: str | None = None,
               lock_timeout: float = 600.0, on_error: Callable[[str], None] | None = None) -> ReportResult:
    """Write the period's folder; see the module docstring. Raises ReportError (exit 2)."""
    from filelock import FileLock, Timeout

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: exists and is not a folder")
    folder = out / period.name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ReportError(f"--out {out}: cannot create {folder} ({e.strerror or e})") from None
    lock_path = folder / LOCK_NAME
    lock = FileLock(str(lock_path), timeout=lock_timeout)
    t0 = time.monotonic()
    try:
        lock.acquire()
    except Timeout:
        raise LockBusy(
            f"another report for {period.name} is running (lock {lock_path} held); gave up after {lock_timeout:g} s"
        ) from None
    try:
        waited = time.monotonic() - t0
        if waited > 1:
            log.info("report %s: waited %.1f s for the lock", period.name, waited)
        return _run_locked(inputs, out, folder, period, settings, as_of, on_error)
    finally:
        lock.release()


def _run_locked(inputs, out: Path, folder: Path, period: Period, settings: Settings, as_of, on_error) -> ReportResult:
    from . import pipeline
    from .overview import build_overview, write_overview

    for stale in folder.glob(".*.part"):  # temp files of a run that was killed
        try:
            stale.unlink()
        except OSError:
            pass
    as_of = as_of or period.end.isoformat()
    formats = tuple(settings.formats) + (() if "json" in settings.formats else ("json",))
    settings = settings.with_(as_of=as_of, formats=formats)
    old_manifest = read_manifest(folder)

    failures: list[str] = []

    def err(line: str) -> None:
        failures.append(line)
        log.error("input %s", line)
        if on_error:
            on_error(line)

    corpus = pipeline.run_analysis(inputs, settings, on_error=err, detail=False)
    if not corpus.articles:  # a wrong path must not replace a good report with an empty one
        raise ReportError("no readable articles in the input" + (f" ({len(failures)} input(s) failed)" if failures else "")
                          + f"; {folder} left as it was")
    sub, input_records = assign(corpus, period)
    counts: dict[str, int] = {}
    for r in input_records:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    undated = sum(1 for r in input_records if r.get("reason") == UNDATED_REASON)
    log.info("report %s: %d input(s): %d used, %d skipped (%d undated), %d failed; %d article(s) in the period, %d group(s)",
             period.name, len(input_records), counts.get("used", 0), counts.get("skipped", 0), undated,
             counts.get("failed", 0), len(sub.articles), len(sub.groups))

    prev = find_previous(out, period)
    prev_briefs: dict[str, dict] = {}
    compared_with = None
    if prev:
        compared_with, prev_folder, prev_doc = prev
        prev_briefs = previous_briefs(prev_folder, prev_doc)
        log.info("report %s: comparing with %s (%d brief(s))", period.name, compared_with, len(prev_briefs))

    result = ReportResult(period=period, folder=folder, manifest=folder / MANIFEST, compared_with=compared_with,
                          failed_inputs=sum(1 for r in input_records if r["status"] == "failed"))
    outputs: list[dict] = []
    errors: list[dict] = []
    briefs: list[Brief] = []
    from .brief import build_brief

    for g in sub.groups:
        try:
            b = build_brief(sub, g, settings)
        except Exception as e:  # one country must not stop the others
            errors.append({"country": g.country, "error": _one_line(e)})
            log.error("report %s: brief %s failed: %s", period.name, g.country, _one_line(e))
            continue
        if g.country in prev_briefs:
            try:
                b.changes = compute_changes(b, prev_briefs[g.country], settings.output_lang)
            except Exception as e:  # a damaged previous brief costs the comparison, not the brief
                log.warning("report %s: no changes for %s: previous brief unusable (%s)", period.name, g.country, _one_line(e))
        briefs.append(b)
    outputs.extend(_write_briefs(briefs, folder, formats, settings, period, errors))
    result.briefs = len(briefs)

    ov = build_overview(period, sub, briefs, input_records, settings, compared_with)
    try:
        for path in write_overview(ov, folder, settings):
            outputs.append(_record(path, folder, format=path.suffix[1:], role="overview"))
            log.info("report %s: wrote %s", period.name, path.name)
    except Exception as e:
        errors.append({"country": None, "format": "overview", "error": _one_line(e)})
        log.error("report %s: overview failed: %s", period.name, _one_line(e))
    result.failed_outputs = len(errors)
    outputs.sort(key=lambda o: o["path"])
    result.outputs = outputs

    doc = {
        "tool": "briefgen",
        "version": _version(),
        "command": "report",
        "period": {"name": period.name, "kind": period.kind, "since": period.start.isoformat(), "until": period.end.isoformat()},
        "as_of": settings.as_of,
        "formats": list(formats),
        "compared_with": compared_with,
        "counts": {s: counts.get(s, 0) for s in ("used", "skipped", "failed")} | {"undated": undated, "articles_in_period": len(sub.articles)},
        "inputs": sorted(input_records, key=lambda r: r["path"]),
        "outputs": outputs,
        "groups": [{"country": g.country, "name": g.name, "kind": g.kind, "articles": g.articles} for g in sub.groups],
        "errors": errors,
    }
    from .util import write_text_atomic

    write_text_atomic(folder / MANIFEST, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    log.info("report %s: wrote %s (%d output(s))", period.name, MANIFEST, len(outputs))

    # files the previous run of this period wrote and this one did not (a country gone)
    if old_manifest:
        keep = {o["path"] for o in outputs} | {MANIFEST}
        for o in old_manifest.get("outputs", []):
            p = o.get("path") if isinstance(o, dict) else None
            if not p or p in keep:
                continue
            target = (folder / p).resolve()
            if target.parent == folder.resolve() and target.is_file():
                target.unlink()
                log.info("report %s: removed %s (no longer produced)", period.name, p)
    return result


def _write_briefs(briefs: list[Brief], folder: Path, formats, settings: Settings, period: Period, errors: list) -> list[dict]:
    """Every brief in every format: in parallel (pipeline's process pool) when all goes well;
    if anything fails, again one file at a time so that one bad brief costs only its own files."""
    from . import pipeline
    from .writers import write_record

    tasks = [(fmt, b, pipeline.brief_basename(b)) for b in briefs for fmt in formats]
    out: list[dict] = []
    try:
        from .parallel import render_many

        recs = render_many(tasks, folder, settings)
        for (fmt, b, _), rec in zip(tasks, recs):
            out.append({**rec, "country": b.country, "format": fmt, "role": "brief"})
            log.info("report %s: wrote %s", period.name, rec["path"])
        return out
    except Exception as e:
        log.warning("report %s: rendering all briefs at once failed (%s); one file at a time", period.name, _one_line(e))
    for fmt, b, base in tasks:
        try:
            rec = write_record(fmt, b, folder, base, settings, country=b.country, format=fmt, role="brief")
        except Exception as e:
            errors.append({"country": b.country, "format": fmt, "error": _one_line(e)})
            log.error("report %s: %s %s failed: %s", period.name, b.country, fmt, _one_line(e))
            continue
        out.append(rec)
        log.info("report %s: wrote %s", period.name, rec["path"])
    return out


def _one_line(e: BaseException) -> str:
    s = str(e).splitlines()[0] if str(e) else ""
    return f"{type(e).__name__}: {s}" if s else type(e).__name__


def _version() -> str:
    from . import __version__

    return __version__


# --------------------------------------------------------------------------- logging


class _OneLine(logging.Formatter):
    def format(self, record):
        return super().format(record).replace("\r", " ").replace("\n", " | ")


def setup_logging(quiet: bool = False) -> None:
    """One line per event on stderr: 2026-12-01T06:00:03Z INFO report 2026-11: wrote ..."""
    import sys

    logger = logging.getLogger("briefgen")
    for h in list(logger.handlers):
        if getattr(h, "_briefgen", False):
            logger.removeHandler(h)
    h = logging.StreamHandler(sys.stderr)
    h._briefgen = True  # type: ignore[attr-defined]
    fmt = _OneLine("%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%SZ")
    fmt.converter = time.gmtime
    h.setFormatter(fmt)
    logger.addHandler(h)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


__all__ = ["Period", "parse_period", "placement", "assign", "compute_changes", "run_report", "ReportError",
           "LockBusy", "setup_logging"]
