"""Draft, published, archived: which library files trainees may play, kept in the database.

The files stay the source of the content; the database records each file's state, with who
changed it and when (LifecycleChange, never edited: the latest change is the state).

A file with no recorded state is *published*: the shipped scenarios, and files added to the
folder in git (reviewed like code), keep working on a fresh or an existing database. A scenario
created in the editor starts as a *draft* (sandbox.authoring.create), so no trainee sees it before
a trainer publishes it; publishing asks for a strict-clean file whose `tests:` all pass.

Archived scenarios cannot be started or assigned any more; past runs keep the exact version they
played (Run.scenario_digest), so their debriefs do not change. Only a draft nobody has played can
be deleted.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from sandbox import library, scenario_files
from sandbox.core.replay.scripted import run_scenario_test
from sandbox.core.scenario import Diagnostic, validate_paths
from sandbox.models import Assignment, Cohort, LifecycleChange, Run, User

DRAFT, PUBLISHED, ARCHIVED, DELETED = "draft", "published", "archived", "deleted"
STATES = (DRAFT, PUBLISHED, ARCHIVED)
LABELS = {DRAFT: "Draft", PUBLISHED: "Published", ARCHIVED: "Archived"}
SCENARIO, GUIDELINES = "scenario", "guidelines"


class LifecycleError(ValueError):
    """Why a change of state was refused, for a person; `reasons` lists what to fix."""

    def __init__(self, message: str, reasons: Iterable[str] = ()):
        super().__init__(message)
        self.reasons = list(reasons)


@dataclass(frozen=True)
class State:
    """A file's state, and the change that set it (None: nothing recorded, so published)."""

    name: str
    change: LifecycleChange | None

    @property
    def label(self) -> str:
        return LABELS[self.name]


class States:
    """Every recorded state, read once per request: the latest change of each file wins."""

    def __init__(self, changes: Iterable[LifecycleChange]):
        self._latest: dict[tuple[str, str], LifecycleChange] = {}
        for change in changes:  # in id order: a later change supersedes
            self._latest[(change.kind, change.key)] = change

    def of(self, kind: str, key: str) -> State:
        change = self._latest.get((kind, key))
        if change is None or change.state == DELETED:  # a file back in the folder: as added
            return State(PUBLISHED, None)
        return State(change.state, change)

    def of_entry(self, entry: library.Entry) -> State:
        return self.of(SCENARIO, entry.path.stem)

    def guidelines_of(self, entry: library.Entry) -> State | None:
        if entry.guidelines_path is None:
            return None
        return self.of(GUIDELINES, entry.guidelines_path.stem)

    def open_to_trainees(self, entry: library.Entry) -> bool:
        guidelines = self.guidelines_of(entry)
        return (entry.playable and self.of_entry(entry).name == PUBLISHED
                and guidelines is not None and guidelines.name == PUBLISHED)


def states(session: Session) -> States:
    return States(session.exec(select(LifecycleChange).order_by(LifecycleChange.id)).all())


def history(session: Session, kind: str, key: str) -> list[LifecycleChange]:
    """The audit trail of one file, newest first."""
    return list(session.exec(select(LifecycleChange).where(
        LifecycleChange.kind == kind, LifecycleChange.key == key)
        .order_by(LifecycleChange.id.desc())).all())


# ---------------------------------------------------------------- what trainees see


def for_trainees(session: Session, folder: str | Path) -> list[library.Entry]:
    """The practice library: published scenarios without errors, on published guidelines."""
    known = states(session)
    return [entry for entry in library.entries(folder) if known.open_to_trainees(entry)]


def refusal(session: Session, entry: library.Entry, user: User) -> str | None:
    """Why `user` may not start `entry`, in words they can act on; None when they may.

    Trainers may try a draft (to play it through before publishing); nobody starts an archived
    scenario.
    """
    known = states(session)
    state = known.of_entry(entry)
    if state.name == ARCHIVED:
        return ("This scenario was archived by a trainer: it can no longer be started. Your past "
                "runs of it and their debriefs are kept in your history.")
    trainer = user.has_role("trainer")
    if state.name == DRAFT and not trainer:
        return ("This scenario is not published yet: a trainer is still writing it. Choose one "
                "from your practice library.")
    guidelines = known.guidelines_of(entry)
    if guidelines is not None and guidelines.name != PUBLISHED and not trainer:
        return ("This scenario's editorial guidelines are not published yet, so it cannot be "
                "played. Choose another one from your practice library.")
    return None


# ---------------------------------------------------------------- the rules of each change


def publication_problems(scenario, guidelines, diagnostics: Iterable[Diagnostic]) -> list[str]:
    """What stops a scenario text from being published: any error or warning (strict), no
    `tests:`, or a test that fails. Empty when it may be published."""
    found = list(diagnostics)
    errors = [d for d in found if d.severity == "error"]
    warnings = [d for d in found if d.severity == "warning"]
    problems = []
    if errors:
        problems.append(f"{_count(errors, 'error')}: fix them in the editor.")
    if warnings:
        problems.append(f"{_count(warnings, 'warning')}: publishing needs a file with no "
                        "warnings either (as `sandbox validate --strict`).")
    if scenario is None or errors:
        return problems
    if not scenario.tests:
        problems.append("No `tests:` block: add at least one scripted test of what trainees "
                        "will see (run them with `sandbox scenario test`).")
    for test in scenario.tests:
        outcome = run_scenario_test(scenario, test, guidelines=guidelines)
        if outcome.passed:
            continue
        if outcome.error:
            problems.append(f'Test "{test.name}" cannot run: {outcome.error}.')
            continue
        said = []
        if outcome.missing:
            said.append(f"expected but did not appear: {', '.join(outcome.missing)}")
        if outcome.unexpected:
            said.append(f"appeared but should not: {', '.join(outcome.unexpected)}")
        problems.append(f'Test "{test.name}" fails: {"; ".join(said)}.')
    return problems


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}{'s' if len(items) != 1 else ''}"


def _guidelines_problems(path: Path) -> list[str]:
    report = validate_paths([path])
    errors = [d for d in report.diagnostics if d.severity == "error"]
    warnings = [d for d in report.diagnostics if d.severity == "warning"]
    problems = []
    if errors:
        problems.append(f"{_count(errors, 'error')}: run `sandbox validate {path.name}`.")
    if warnings:
        problems.append(f"{_count(warnings, 'warning')}: publishing needs a file with no "
                        "warnings either.")
    return problems


def _record(session: Session, kind: str, key: str, state: str, actor: User | str) -> None:
    name = actor if isinstance(actor, str) else actor.name
    session.add(LifecycleChange(kind=kind, key=key, state=state, actor_name=name[:120],
                                actor_id=None if isinstance(actor, str) else actor.id))
    session.commit()


def start_as_draft(session: Session, key: str, actor: User | str, *,
                   kind: str = SCENARIO) -> None:
    """A file about to be created in the editor (or imported): a draft before it exists, so it
    is never visible to trainees, even for a moment."""
    state = states(session).of(kind, key)
    if state.change is None or state.name != DRAFT:  # not on a double click
        _record(session, kind, key, DRAFT, actor)


def publish(session: Session, entry: library.Entry, actor: User | str) -> bool:
    """Publish a scenario; False when it already was. Refused unless strict-clean with passing
    tests, and on published guidelines."""
    known = states(session)
    if known.of_entry(entry).name == PUBLISHED:
        return False
    problems = publication_problems(entry.scenario, entry.guidelines, entry.diagnostics)
    guidelines = known.guidelines_of(entry)
    if guidelines is not None and guidelines.name != PUBLISHED:
        problems.append(f"Its guidelines ({entry.guidelines_path.name}) are a {guidelines.name}"
                        ": publish them first.")
    if problems:
        raise LifecycleError(f"{entry.path.name} was not published.", problems)
    _record(session, SCENARIO, entry.path.stem, PUBLISHED, actor)
    return True


def publish_guidelines(session: Session, path: Path, actor: User | str) -> bool:
    if states(session).of(GUIDELINES, path.stem).name == PUBLISHED:
        return False
    problems = _guidelines_problems(path)
    if problems:
        raise LifecycleError(f"{path.name} was not published.", problems)
    _record(session, GUIDELINES, path.stem, PUBLISHED, actor)
    return True


def archive(session: Session, kind: str, key: str, actor: User | str) -> bool:
    """Hide a file from new runs and new assignments; False when it already was archived."""
    if states(session).of(kind, key).name == ARCHIVED:
        return False
    _record(session, kind, key, ARCHIVED, actor)
    return True


def back_to_draft(session: Session, kind: str, key: str, actor: User | str) -> bool:
    if states(session).of(kind, key).name == DRAFT:
        return False
    _record(session, kind, key, DRAFT, actor)
    return True


def played(session: Session, entry: library.Entry) -> int:
    """How many runs (by anyone, finished or not) played this scenario."""
    slugs = {entry.slug, entry.path.stem}
    return len(session.exec(select(Run.id).where(Run.scenario_id.in_(slugs))).all())


def assigned_to(session: Session, entry: library.Entry) -> list[str]:
    """The names of the cohorts the scenario is assigned to."""
    slugs = {entry.slug, entry.path.stem}
    return list(session.exec(select(Cohort.name).join(Assignment)
                             .where(Assignment.scenario_id.in_(slugs))).all())


def deletion_problem(session: Session, entry: library.Entry) -> str | None:
    """Why this scenario file cannot be deleted; None when it can."""
    state = states(session).of_entry(entry)
    if state.name != DRAFT:
        return (f"Only a draft can be deleted, and {entry.path.name} is {state.name}: archive it "
                "instead (its runs and debriefs are kept).")
    runs = played(session, entry)
    if runs:
        return (f"{entry.path.name} has been played ({runs} run{'s' if runs != 1 else ''}): "
                "it cannot be deleted, so those runs keep their debriefs. Archive it instead.")
    cohorts = assigned_to(session, entry)
    if cohorts:
        return (f"{entry.path.name} is assigned to {', '.join(cohorts)}: remove the assignment "
                "first.")
    return None


def delete(session: Session, entry: library.Entry, actor: User | str) -> None:
    """Delete a draft nobody has played: its file goes, the audit trail stays."""
    problem = deletion_problem(session, entry)
    if problem:
        raise LifecycleError(problem)
    scenario_files.remove(entry.path)
    _record(session, SCENARIO, entry.path.stem, DELETED, actor)
