"""The scenario library: the scenario files of SCENARIOS_DIR, loaded, validated and versioned.

Loading is cached per file and refreshed when a file (or a guidelines file beside it) changes,
so a trainer who edits a file sees the new version on the next request.
"""

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from sandbox.core.scenario import Diagnostic, Guidelines, Scenario, load_scenario
from sandbox.core.scenario.diagnostics import HasDiagnostics


@dataclass(frozen=True)
class Entry(HasDiagnostics):
    """One scenario file and what the validator made of it."""

    path: Path
    slug: str
    text: str
    scenario: Scenario | None
    guidelines: Guidelines | None
    guidelines_path: Path | None
    guidelines_text: str | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def playable(self) -> bool:
        return self.scenario is not None and self.guidelines is not None and not self.errors

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario else self.slug


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, Entry]] = {}


def _signature(path: Path) -> tuple:
    """What must not change for a cached entry to stay valid: the file and its guidelines.

    The inode changes with every save that renames a new file over the old one (the editor's),
    even when the clock's resolution gives both the same mtime and the size is the same.
    """
    guidelines = sorted((path.parent / "guidelines").glob("*.yaml"))
    stats = [(p.name, p.stat()) for p in [path, *guidelines]]
    return tuple((name, s.st_ino, s.st_mtime_ns, s.st_size) for name, s in stats)


def _load(path: Path, shipped_guidelines: Path) -> Entry:
    text = path.read_text(encoding="utf-8", errors="replace")
    result = load_scenario(path, shipped_guidelines=shipped_guidelines)
    guidelines_path = result.guidelines_path
    return Entry(
        path=path,
        slug=result.scenario.id if result.scenario else path.stem,
        text=text,
        scenario=result.scenario,
        guidelines=result.guidelines,
        guidelines_path=Path(guidelines_path) if guidelines_path else None,
        guidelines_text=result.sources.get(guidelines_path) if guidelines_path else None,
        diagnostics=tuple(result.diagnostics),
    )


def entries(folder: str | Path) -> list[Entry]:
    """Every scenario file of `folder` (not its sub-folders), sorted by title."""
    folder = Path(folder)
    found = []
    for path in sorted(folder.glob("*.yaml")):
        signature = _signature(path)
        with _lock:
            cached = _cache.get(path)
        if cached and cached[0] == signature:
            found.append(cached[1])
            continue
        entry = _load(path, folder / "guidelines")
        with _lock:
            _cache[path] = (signature, entry)
        found.append(entry)
    return sorted(found, key=lambda entry: entry.title.lower())


def find(folder: str | Path, slug: str) -> Entry | None:
    return next((entry for entry in entries(folder) if entry.slug == slug), None)


def titles(folder: str | Path) -> dict[str, str]:
    """Scenario titles by slug, to name the scenarios of past runs."""
    return {entry.slug: entry.title for entry in entries(folder)}


def parse_version(scenario_text: str, guidelines_text: str) -> tuple[Scenario, Guidelines]:
    """The typed scenario and guidelines of a stored version. Not cached here: runs.played keeps
    every parsed version by digest."""
    from sandbox.core.scenario import parse_guidelines_text, parse_scenario_text

    # Both texts were valid when the run started; the scenario is parsed without looking for
    # guidelines on disk, because the run plays the stored version, not today's file.
    scenario = parse_scenario_text(scenario_text, "<run>", search_dirs=[]).scenario
    guidelines = parse_guidelines_text(guidelines_text, "<run>").guidelines
    if scenario is None or guidelines is None:
        raise ValueError("a stored scenario version no longer parses")
    return scenario, guidelines
