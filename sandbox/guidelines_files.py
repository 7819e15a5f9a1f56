"""The library's guidelines files as trainers edit them in the browser: which there are, which
scenarios use each, and what an unsaved text would change for those scenarios' model answers
(sandbox.core.guidelines_impact)."""

from dataclasses import dataclass
from pathlib import Path

from sandbox import library, scenario_files
from sandbox.core.guidelines_impact import AnswerChange, model_answer_changes
from sandbox.core.scenario import Guidelines, load_guidelines


@dataclass(frozen=True)
class GuidelinesFile:
    path: Path
    brand: str | None  # None when the file does not parse
    errors: int
    users: tuple[library.Entry, ...]  # the scenarios that name it

    @property
    def key(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Impact:
    """What saving a guidelines text would change for the scenarios that use it."""

    users: tuple[library.Entry, ...]
    changes: tuple[AnswerChange, ...]  # every model answer, changed or not
    checked: bool  # False while the text has errors: nothing could be scored

    @property
    def now_failing(self) -> list[AnswerChange]:
        return [change for change in self.changes if change.now_fails]

    @property
    def verdict_changes(self) -> list[AnswerChange]:
        return [change for change in self.changes if change.verdict_changed]

    @property
    def score_changes(self) -> list[AnswerChange]:
        return [change for change in self.changes if change.changed]


def folder_of(folder: str | Path) -> Path:
    return Path(folder) / "guidelines"


def file_in(folder: str | Path, key: str) -> Path | None:
    """The path of guidelines file `key` of the library; None unless a plain name."""
    return scenario_files.file_in(folder_of(folder), key)


def users(folder: str | Path, path: Path) -> tuple[library.Entry, ...]:
    """The library's scenarios whose guidelines are this file."""
    target = path.resolve()
    return tuple(entry for entry in library.entries(folder)
                 if entry.guidelines_path is not None
                 and entry.guidelines_path.resolve() == target)


def files(folder: str | Path) -> list[GuidelinesFile]:
    found = []
    for path in sorted(folder_of(folder).glob("*.yaml")):
        loaded = load_guidelines(path)
        errors = sum(1 for d in loaded.diagnostics if d.severity == "error")
        brand = loaded.guidelines.brand if loaded.guidelines is not None else None
        found.append(GuidelinesFile(path, brand, errors, users(folder, path)))
    return found


def impact(folder: str | Path, path: Path, guidelines: Guidelines | None) -> Impact:
    """Each model answer of the scenarios using `path`, scored with the saved file and with
    `guidelines` (the unsaved text; None while it has errors)."""
    using = users(folder, path)
    if guidelines is None:
        return Impact(using, (), checked=False)
    changes = []
    for entry in using:
        if entry.scenario is not None and entry.guidelines is not None:
            changes += model_answer_changes(entry.scenario, entry.guidelines, guidelines)
    return Impact(using, tuple(changes), checked=True)
