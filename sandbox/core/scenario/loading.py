"""Reading a scenario or guidelines file through the three passes into typed values."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.core.scenario.checks_content import check_content
from sandbox.core.scenario.checks_flow import check_flow
from sandbox.core.scenario.checks_guidelines import check_guidelines
from sandbox.core.scenario.checks_refs import check_references
from sandbox.core.scenario.checks_replies import check_replies
from sandbox.core.scenario.codes import for_file
from sandbox.core.scenario.context import build_context
from sandbox.core.scenario.diagnostics import Diagnostic, make
from sandbox.core.scenario.fields import SLUG_PATTERN
from sandbox.core.scenario.guidelines import Guidelines
from sandbox.core.scenario.models import Scenario
from sandbox.core.scenario.structure import validate_model
from sandbox.core.scenario.suggest import hint_for
from sandbox.core.scenario.yamlsource import MAX_CHARS, parse_yaml, paused_cyclic_gc

# The shipped scenarios folder, found from this file (no I/O): sandbox/core/scenario/ -> repo.
SHIPPED_SCENARIOS = Path(os.path.abspath(__file__)).parents[3] / "scenarios"
SHIPPED_GUIDELINES = SHIPPED_SCENARIOS / "guidelines"
MAX_BYTES = 4 * MAX_CHARS


@dataclass
class GuidelinesLoad:
    path: str
    guidelines: Guidelines | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str | None = None

    @property
    def ok(self) -> bool:
        return self.guidelines is not None and not any(
            d.severity == "error" for d in self.diagnostics
        )


@dataclass
class ScenarioLoad:
    path: str
    scenario: Scenario | None
    guidelines: Guidelines | None = None
    guidelines_path: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not any(
            d.severity == "error" for d in self.diagnostics
        )


def read_source(
    path: str | os.PathLike, prefix: str = "SCN"
) -> tuple[str | None, list[Diagnostic]]:
    """The text of a file, or a finding saying why it cannot be read (SCN009-011)."""
    shown = str(path)

    def fail(code: str, message: str, hint: str, position=(1, 1, 2)):
        return None, [make(for_file(code, prefix), shown, position, message, hint)]

    try:
        file_path = Path(path)
        if file_path.is_dir():
            return fail("SCN009", "this is a folder, not a file", "give the path of a .yaml file")
        size = file_path.stat().st_size
        if size > MAX_BYTES:
            return fail(
                "SCN011",
                f"the file is {size / 1_000_000:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB",
                "split it into several scenarios",
            )
        raw = file_path.read_bytes()
    except FileNotFoundError:
        return fail("SCN009", "no such file", "check the path and the file name")
    except PermissionError:
        return fail(
            "SCN009", "permission denied: the file cannot be read", "check the file's permissions"
        )
    except OSError as error:
        return fail(
            "SCN009",
            f"the file cannot be read ({error.strerror or 'system error'})",
            "check the path",
        )
    if b"\x00" in raw[:8192]:
        return fail(
            "SCN010",
            "the file contains binary data, not text",
            "scenario files are UTF-8 text written in a text editor",
        )
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return fail(
            "SCN010",
            "the file is not UTF-8 text",
            "save it as UTF-8 (most editors offer this in 'Save as' or the status bar)",
            (line, column, column + 1),
        )


def load_guidelines(path: str | os.PathLike) -> GuidelinesLoad:
    text, findings = read_source(path, "GDL")
    if text is None:
        return GuidelinesLoad(str(path), None, findings)
    return parse_guidelines_text(text, str(path))


def parse_guidelines_text(text: str, path: str = "<string>") -> GuidelinesLoad:
    with paused_cyclic_gc():
        return _parse_guidelines_text(text, path)


def _parse_guidelines_text(text: str, path: str) -> GuidelinesLoad:
    document, findings = parse_yaml(text, path, "GDL")
    if document is None:
        return GuidelinesLoad(path, None, findings, text)
    guidelines, structure = validate_model(document, Guidelines, "GDL")
    findings += structure
    if guidelines is not None:
        findings += check_guidelines(document, guidelines)
    return GuidelinesLoad(path, guidelines, sorted(findings, key=Diagnostic.sort_key), text)


def find_guidelines(slug: str, search_dirs: Iterable[str | os.PathLike]) -> Path | None:
    """The guidelines file `slug` names in the first folder that has it, or None.

    Only a slug is looked up, and only a file that really lies in the folder (a symbolic link
    leading elsewhere does not count): a scenario text comes from a trainer's browser, and
    "../../etc/x" or "/etc/x" must not make the server read, and report on, any other file.
    Every refusal looks the same as a missing file.
    """
    if not isinstance(slug, str) or not re.fullmatch(SLUG_PATTERN, slug):
        return None
    for folder in search_dirs:
        for suffix in (".yaml", ".yml"):
            candidate = Path(folder) / f"{slug}{suffix}"
            if candidate.is_file() and _lies_in(candidate, Path(folder)):
                return candidate
    return None


def _lies_in(path: Path, folder: Path) -> bool:
    try:
        return path.resolve(strict=True).parent == folder.resolve(strict=True)
    except (OSError, RuntimeError):  # vanished meanwhile, or a loop of links
        return False


def load_scenario(
    path: str | os.PathLike,
    *,
    shipped_guidelines: str | os.PathLike = SHIPPED_GUIDELINES,
    guidelines_cache: MutableMapping | None = None,
) -> ScenarioLoad:
    """Read and check one scenario file; guidelines come from beside it, then the shipped ones."""
    text, findings = read_source(path)
    if text is None:
        return ScenarioLoad(str(path), None, diagnostics=findings)
    search_dirs = [Path(path).parent / "guidelines", Path(shipped_guidelines)]
    return parse_scenario_text(text, str(path), search_dirs, guidelines_cache=guidelines_cache)


def parse_scenario_text(
    text: str,
    path: str = "<string>",
    search_dirs: Iterable[str | os.PathLike] | None = None,
    *,
    guidelines_cache: MutableMapping | None = None,
) -> ScenarioLoad:
    """Check scenario text that has no file (the in-browser editor); never raises."""
    search_dirs = list(search_dirs) if search_dirs is not None else [SHIPPED_GUIDELINES]
    with paused_cyclic_gc():
        return _parse_scenario_text(text, path, search_dirs, guidelines_cache)


def _parse_scenario_text(text, path, search_dirs, guidelines_cache) -> ScenarioLoad:
    result = ScenarioLoad(path, None, sources={path: text})
    document, findings = parse_yaml(text, path, "SCN")
    if document is None:
        result.diagnostics = findings
        return result
    scenario, structure = validate_model(document, Scenario, "SCN")
    findings += structure
    guidelines = None
    slug = document.data.get("guidelines") if isinstance(document.data, dict) else None
    if isinstance(slug, str) and slug:
        guidelines, extra = _resolve_guidelines(
            document, slug, search_dirs, guidelines_cache, result
        )
        findings += extra
    context = build_context(document, scenario, guidelines)
    check_references(context)
    check_flow(context)
    check_replies(context)
    check_content(context)
    findings += context.findings
    result.scenario = scenario
    result.guidelines = guidelines
    result.diagnostics = sorted(findings, key=Diagnostic.sort_key)
    return result


def _resolve_guidelines(document, slug, search_dirs, cache, result):
    where = document.value_at(("guidelines",))
    if cache is None:
        found = find_guidelines(slug, search_dirs)
    else:  # a folder of scenarios names the same guidelines again and again
        lookup = ("where is", slug, *map(str, search_dirs))
        if lookup not in cache:
            cache[lookup] = find_guidelines(slug, search_dirs)
        found = cache[lookup]
    if found is None:
        available = sorted(
            {p.stem for d in search_dirs if Path(d).is_dir() for p in Path(d).glob("*.y*ml")}
        )
        return None, [
            make(
                "SCN207",
                document.path,
                where,
                f'no guidelines called "{slug}"',
                hint_for(slug, available),
                "looked for guidelines/" + slug + ".yaml "
                "beside the scenario, then in scenarios/guidelines/"
                + (f"; available: {', '.join(available)}" if available else ""),
            )
        ]
    key = str(found)
    loaded = cache.get(key) if cache is not None else None
    if loaded is None:
        loaded = load_guidelines(found)
        if cache is not None:
            cache[key] = loaded
    result.guidelines_path = key
    if loaded.text is not None:
        result.sources[key] = loaded.text
    findings = list(loaded.diagnostics)
    if not loaded.ok:
        errors = sum(d.severity == "error" for d in loaded.diagnostics)
        findings.append(
            make(
                "SCN217",
                document.path,
                where,
                f'the guidelines "{slug}" have {errors} error{"s" if errors != 1 else ""}',
                f"fix {key} first",
            )
        )
        return (loaded.guidelines if loaded.guidelines is not None else None), findings
    return loaded.guidelines, findings
