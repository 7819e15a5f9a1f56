"""Trainers change the scenario library: create a draft, save, restore a version.

The one write path of the editor (and of anything else that writes a scenario for a person), so
that whatever the page, a new scenario is a draft before its file exists, a published scenario
stays publishable after every save, and every save is kept as a version.
"""

from pathlib import Path

from sqlmodel import Session

from sandbox import lifecycle, scenario_files, versions
from sandbox.models import User

SCENARIO = lifecycle.SCENARIO


def create(session: Session, folder: str | Path, slug: str, *, author: User,
           network: str = "twitter", language: str = "en", text: str | None = None) -> Path:
    """A new scenario file `slug`.yaml (from `text`, or the starter), recorded as a draft."""
    slug = slug.strip()
    path = scenario_files.create(
        folder, slug, network=network, language=language, text=text,
        before_write=lambda: lifecycle.start_as_draft(session, slug, author))
    versions.record(session, kind=SCENARIO, key=path.stem, text=path.read_text(encoding="utf-8"),
                    author=author, note="created")
    return path


def save(session: Session, folder: str | Path, path: Path, text: str, *, started_from: str,
         author: User, note: str = "saved") -> scenario_files.Saved:
    """Save the editor's text; a published scenario's text must pass the publishing checks."""
    published = lifecycle.states(session).of(SCENARIO, path.stem).name == lifecycle.PUBLISHED

    def still_publishable(check: scenario_files.TextCheck) -> None:
        problems = lifecycle.publication_problems(check.scenario, check.guidelines,
                                                  check.diagnostics)
        if problems:
            raise scenario_files.Refused(
                f"Not saved: {path.name} is published, so trainees would play this text at once, "
                f"and it does not pass the publishing checks: {' '.join(problems)} Fix that, or "
                "move the scenario back to draft to work on it.", check)

    saved = scenario_files.save(folder, path, text, started_from=started_from,
                                vet=still_publishable if published else None)
    if saved.previous is not None:
        versions.record_baseline(session, kind=SCENARIO, key=path.stem, text=saved.previous)
        versions.record(session, kind=SCENARIO, key=path.stem, text=saved.check.text,
                        author=author, note=note)
    return saved


def restore(session: Session, folder: str | Path, path: Path, number: int, *,
            started_from: str, author: User) -> scenario_files.Saved:
    """Save version `number` of the file again, as its newest version."""
    found = next((v for v in versions.history(session, SCENARIO, path.stem)
                  if v.number == number), None)
    if found is None:
        raise scenario_files.Refused(f"{path.name} has no version {number}: reload the history.")
    text = versions.text_of(session, found.digest)
    return save(session, folder, path, text, started_from=started_from, author=author,
                note=f"restored version {number}")
