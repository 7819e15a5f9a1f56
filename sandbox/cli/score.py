"""`sandbox score`: grade a reply to a scenario event, to an ad-hoc post, or a JSONL batch."""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TextIO

import click

from sandbox.core.scoring.results import DIMENSIONS, ReplyScore
from sandbox.core.vocabulary import ACTION_NAMES, WRITES

logger = logging.getLogger(__name__)
SHIPPED_GUIDELINES = Path(__file__).resolve().parents[2] / "scenarios" / "guidelines"
FIELDS = ("scenario", "event", "post", "reply", "after", "action", "to", "also", "guidelines",
          "language")
TEXT_ACTIONS = tuple(a for a in ACTION_NAMES if a in WRITES)  # what a graded text can be
OTHER_ACTIONS = tuple(a for a in ACTION_NAMES if a != "reply")  # `also`: done on the event
MOST_JOBS = 64  # --jobs beyond this asks for more processes than any machine here has cores


class InputError(Exception):
    """A problem with what the user asked for; printed as is."""


# ------------------------------------------------------------------ loading inputs
def _first_error(result: Any, path: Path) -> str:
    diagnostics = [d for d in getattr(result, "diagnostics", []) or []
                   if getattr(d, "severity", "error") == "error"]
    if not diagnostics:
        return f"{path}: cannot be read"
    d = diagnostics[0]
    more = f" (and {len(diagnostics) - 1} more; run `sandbox validate {path}`)" \
        if len(diagnostics) > 1 else ""
    return f"{path}:{getattr(d, 'line', '?')}:{getattr(d, 'column', '?')}: {d.message}{more}"


def load_guidelines(path: Path) -> Any:
    from sandbox.core.scenario import load_guidelines as load

    if not path.is_file():
        raise InputError(f"{path}: no such guidelines file")
    result = load(path)
    if not result.ok:
        raise InputError(_first_error(result, path))
    return result.guidelines


def load_scenario(path: Path) -> tuple[Any, Any]:
    from sandbox.core.scenario import load_scenario as load

    if not path.is_file():
        raise InputError(f"{path}: no such scenario file")
    result = load(path)
    if not result.ok or result.scenario is None or result.guidelines is None:
        raise InputError(_first_error(result, path))
    return result.scenario, result.guidelines


def _seconds(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InputError(f"\"{value}\" is not a delay: write e.g. 4m or 90s")
    if isinstance(value, int | float):
        if value < 0:
            raise InputError("a delay cannot be negative")
        return int(value)
    from sandbox.core.scenario.durations import DurationError, parse_duration

    try:
        return parse_duration(str(value))
    except DurationError as error:
        raise InputError(f"--after: {error.message}"
                         + (f" ({error.hint})" if getattr(error, "hint", "") else "")) from None


# ------------------------------------------------------------------ one request
class Grader:
    """Scores requests, caching the files it has read (a batch reuses them)."""

    def __init__(self) -> None:
        self._scenarios: dict[str, tuple[Any, Any]] = {}
        self._guidelines: dict[str, Any] = {}

    def guidelines(self, path: str | None, language: str | None) -> Any:
        if not path:
            path = str(SHIPPED_GUIDELINES / ("default-fr.yaml" if language == "fr"
                                             else "default.yaml"))
        if path not in self._guidelines:
            self._guidelines[path] = load_guidelines(Path(path))
        return self._guidelines[path]

    def scenario(self, path: str) -> tuple[Any, Any]:
        if path not in self._scenarios:
            self._scenarios[path] = load_scenario(Path(path))
        return self._scenarios[path]

    def score(self, request: dict[str, Any]) -> ReplyScore:
        from sandbox.core.grading import ScoreRequestError, score_event_reply, score_post_reply

        unknown = sorted(set(request) - set(FIELDS))
        if unknown:
            raise InputError(f"unknown field(s) {', '.join(unknown)}: use {', '.join(FIELDS)}")
        reply = request.get("reply")
        if not isinstance(reply, str):
            raise InputError("\"reply\" is required: the text to grade")
        action = request.get("action") or "reply"
        if not isinstance(action, str):
            raise InputError(f"\"action\" must be one of {', '.join(TEXT_ACTIONS)}")
        language = request.get("language")
        if language not in (None, "en", "fr"):
            raise InputError(f"unknown language \"{language}\": use en or fr")
        also = _also(request.get("also"))
        to = request.get("to")
        if to is not None and not isinstance(to, str):
            raise InputError("\"to\" must be the name of an expert, e.g. quality_team")
        after = _seconds(request.get("after"))
        try:
            if request.get("scenario"):
                if request.get("post"):
                    raise InputError("give either a scenario and an event, or a post, not both")
                if not request.get("event"):
                    raise InputError("\"event\" is required with a scenario: the id of the "
                                     "event being answered")
                scenario, guidelines = self.scenario(str(request["scenario"]))
                if request.get("guidelines"):
                    guidelines = self.guidelines(str(request["guidelines"]), language)
                return score_event_reply(scenario=scenario, guidelines=guidelines,
                                         event_id=str(request["event"]), reply=reply,
                                         after_s=after, action=action, to=to, also=also)
            post = request.get("post")
            if not isinstance(post, str) or not post.strip():
                raise InputError("give a scenario and an event, or a post to answer")
            guidelines = self.guidelines(request.get("guidelines"), language)
            return score_post_reply(post=post, reply=reply, guidelines=guidelines,
                                    language=language, after_s=after, action=action,
                                    also=also)
        except ScoreRequestError as error:
            raise InputError(str(error)) from None


def _also(value: Any) -> tuple[str, ...]:
    """Other actions taken on the event: a list of names (or one name)."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or any(name not in OTHER_ACTIONS for name in names):
        raise InputError(f"\"also\" lists other actions taken on the event: "
                         f"{', '.join(OTHER_ACTIONS)}")
    return tuple(names)


# ------------------------------------------------------------------ output
def render_text(result: ReplyScore, reply: str) -> str:
    lines = [f"Overall {result.overall}/100: {result.verdict.upper()}   (scorer {result.scorer})",
             "  " + "   ".join(f"{d.capitalize()} {result.dimensions[d]}"
                              for d in DIMENSIONS if d in result.dimensions),
             "  " + result.explanation]
    for dimension in DIMENSIONS:
        members = [c for c in result.criteria if c.dimension == dimension]
        if not members:
            continue
        lines += ["", dimension.capitalize()]
        for criterion in members:
            flag = "  CRITICAL" if criterion.critical else ""
            lines.append(f"  {criterion.id:<15} {criterion.score:>3}{flag}")
            for finding in criterion.findings:
                where = ""
                if finding.span is not None:
                    start, end = finding.span
                    where = f"  [{start}:{end}]"
                mark = {"good": "+", "bad": "-"}.get(finding.tone, " ")
                lines.append(f"      {mark} {finding.message}{where}")
    return "\n".join(lines)


def _emit(result: ReplyScore, reply: str, fmt: str) -> None:
    click.echo(_rendered(result, reply, fmt))


def _rendered(result: ReplyScore, reply: str, fmt: str) -> str:
    return result.to_json() if fmt == "json" else render_text(result, reply)


# ------------------------------------------------------------------ a batch
BATCH_WINDOW = 512  # lines a worker is given at a time, in order, with --jobs

# (line number, the line as read, the output format) in; (line number, what it prints or None
# for a blank line, whether it failed) out
BatchLine = tuple[int, str, str]
Printed = tuple[int, str | None, bool]


def _batch_line(grader: Grader, number: int, line: str, fmt: str) -> Printed:
    """What one line of a batch prints and whether it failed. Never raises: a line that
    cannot be scored prints an error and the batch goes on."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept apart by `_lines`
        return number, _error_text(f"line {number}: not UTF-8 text", fmt), True
    if not line.strip():
        return number, None, False
    try:
        request = json.loads(line)
        if not isinstance(request, dict):
            raise InputError("each line must be a JSON object")
        result = grader.score(request)
    except json.JSONDecodeError as error:
        return number, _error_text(f"line {number}: not valid JSON ({error.msg})", fmt), True
    except InputError as error:
        return number, _error_text(f"line {number}: {error}", fmt), True
    except Exception:  # a scorer bug must not end the stream: report it, go on
        logger.exception("sandbox score --batch: line %s could not be scored", number)
        return number, _error_text(f"line {number}: could not be scored (an internal error, "
                                   "logged); the other lines are scored", fmt), True
    text = _rendered(result, request["reply"], fmt)
    return number, (text + "\n" if fmt == "text" else text), False


_worker_grader: Grader | None = None  # each worker process's own, with its cached files


def _worker_line(item: BatchLine) -> Printed:
    global _worker_grader
    if _worker_grader is None:
        _worker_grader = Grader()
    return _batch_line(_worker_grader, *item)


def _batch(source: str, fmt: str, jobs: int = 1) -> int:
    """Score every line of `source` and print the results in its order. With `jobs` > 1, in
    that many processes (a batch's lines are independent), `BATCH_WINDOW` lines per process
    at a time: a file or a stream is never held whole, but each window's results are printed
    when it is scored (to pipe requests one by one and read each answer, keep `jobs` at 1)."""
    try:
        stream = _lines(sys.stdin if source == "-" else open(source, "rb"))  # noqa: SIM115
    except OSError as error:
        raise click.ClickException(f"{source}: cannot be read ({error.strerror})") from None
    failures, done = 0, 0
    with stream:
        lines = ((number, line, fmt) for number, line in enumerate(stream, start=1))
        try:
            for number, text, failed in batch_results(lines, jobs):
                done, failures = number, failures + failed
                if text is not None:
                    click.echo(text)
        except BrokenProcessPool:
            raise click.ClickException(
                f"a scoring process stopped unexpectedly (out of memory?) after line {done}: "
                "the results printed so far stand; score the lines after it again, with "
                "fewer --jobs") from None
    return 1 if failures else 0


def _lines(source: Any) -> TextIO:
    """The lines of a file or of standard input as UTF-8 text, ending at any line end, with
    the bytes of a line that is not UTF-8 kept as they are for `_batch_line` to report."""
    binary = getattr(source, "buffer", source)
    if not hasattr(binary, "readinto"):
        return source  # already text (a test's or an embedding program's stream)
    return io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline=None)


def batch_results(lines: Iterator[BatchLine], jobs: int) -> Iterator[Printed]:
    """What each line prints, in the lines' order, scored in `jobs` processes when above 1."""
    if jobs <= 1:
        grader = Grader()
        for item in lines:
            yield _batch_line(grader, *item)
        return
    import multiprocessing

    # forked workers start at once with what this process has loaded; elsewhere, fresh ones
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method)) as pool:
        while window := list(itertools.islice(lines, BATCH_WINDOW * jobs)):
            # chunks small enough that a short batch still reaches every process
            chunk = max(1, min(BATCH_WINDOW // 8, len(window) // (jobs * 4)))
            yield from pool.map(_worker_line, window, chunksize=chunk)


def _error_text(message: str, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"error": message}, ensure_ascii=False)
    return f"error: {message}\n"


@click.command("score")
@click.option("--scenario", type=click.Path(dir_okay=False), help="Scenario YAML file.")
@click.option("--event", help="Id of the scenario event being answered.")
@click.option("--reply", help="The trainee's reply text.")
@click.option("--after", help="Time since the event appeared, e.g. 4m or 90s.")
@click.option("--action", type=click.Choice(TEXT_ACTIONS),
              default="reply", show_default=True, help="What the trainee did with the text.")
@click.option("--to", help="The expert, for --action escalate (default: the event's).")
@click.option("--also", multiple=True, type=click.Choice(OTHER_ACTIONS),
              help="Another action taken on the event (repeatable), e.g. --also escalate.")
@click.option("--post", help="An ad-hoc customer post to answer (instead of a scenario).")
@click.option("--guidelines", type=click.Path(dir_okay=False),
              help="Guidelines YAML (default: the shipped neutral guidelines).")
@click.option("--language", type=click.Choice(["en", "fr"]), help="Language of the post.")
@click.option("--batch", help="JSONL file of requests, one per line; - for standard input.")
@click.option("--jobs", type=click.IntRange(0, MOST_JOBS), default=1, show_default=True,
              help="With --batch: processes scoring lines side by side (0: one per CPU core).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json",
              show_default=True)
def score_command(scenario, event, reply, after, action, to, also, post, guidelines, language,
                  batch, jobs, fmt) -> None:
    """Grade replies against the editorial guidelines along A.C.E. (agility, coherence,
    efficiency), with the evidence for every point.

    \b
    sandbox score --scenario PATH --event ID --reply TEXT [--after 4m] [--action reply]
                  [--also escalate]
    sandbox score --post TEXT --reply TEXT [--guidelines PATH] [--language en]
    sandbox score --batch FILE.jsonl [--jobs N]
                  (one JSON object per line; - reads standard input; results in its order)
    """
    if batch:
        if any(v is not None for v in (scenario, event, reply, post)):
            raise click.UsageError("--batch reads everything from the file; drop the other "
                                   "options")
        sys.exit(_batch(batch, fmt, jobs or os.cpu_count() or 1))
    if jobs != 1:
        raise click.UsageError("--jobs applies to --batch only")
    if reply is None:
        raise click.UsageError("--reply is required (or use --batch)")
    request = {"scenario": scenario, "event": event, "post": post, "reply": reply,
               "after": after, "action": action, "to": to, "also": list(also) or None,
               "guidelines": guidelines, "language": language}
    try:
        result = Grader().score({k: v for k, v in request.items() if v is not None})
    except InputError as error:
        raise click.ClickException(str(error)) from None
    _emit(result, reply, fmt)

