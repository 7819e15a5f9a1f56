"""Trainers change the scenario library: create a draft, save, restore a version.

The one write path of the editor (and of anything else that writes a scenario for a person), so
that whatever the page, a new scenario is a draft before its file exists, a published scenario
stays publishable after every save, and every save is kept as a version.
"""

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from sandbox import lifecycle, scenario_files, versions
from sandbox.core.scenario import SHIPPED_GUIDELINES, Guidelines, load_guidelines
from sandbox.core.situations import LEVELS, SITUATIONS, scenario_text
from sandbox.models import User

SCENARIO = lifecycle.SCENARIO
STARTER = "starter"  # the commented walkthrough of `sandbox new-scenario`


@dataclass(frozen=True)
class GuidelinesChoice:
    id: str
    brand: str
    language: str
    guidelines: Guidelines


def guidelines_choices(folder: str | Path) -> list[GuidelinesChoice]:
    """The guidelines a new scenario can name: the library's own, then the shipped ones (as a
    scenario finds them), each once, those without errors only."""
    found: dict[str, GuidelinesChoice] = {}
    for place in (Path(folder) / "guidelines", SHIPPED_GUIDELINES):
        for path in sorted(place.glob("*.yaml")):
            loaded = load_guidelines(path)
            errors = [d for d in loaded.diagnostics if d.severity == "error"]
            if loaded.guidelines is not None and not errors and path.stem not in found:
                g = loaded.guidelines
                found[path.stem] = GuidelinesChoice(path.stem, g.brand, g.language, g)
    return sorted(found.values(), key=lambda choice: (choice.brand.lower(), choice.id))


def starting_text(folder: str | Path, slug: str, *, situation: str, guidelines: str,
                  network: str, language: str, level: str) -> str | None:
    """The text of a new scenario from the form (None: the commented starter)."""
    if situation == STARTER:
        return None
    if situation not in SITUATIONS:
        raise scenario_files.Refused("Choose a situation from the list.")
    if level not in LEVELS:
        raise scenario_files.Refused("Choose a level: beginner, intermediate or advanced.")
    if network not in scenario_files.NETWORKS:
        raise scenario_files.Refused("Choose a network: Twitter or Facebook.")
    choice = next((c for c in guidelines_choices(folder) if c.id == guidelines), None)
    if choice is None:
        raise scenario_files.Refused("Choose the brand's guidelines from the list.")
    if choice.language != language:
        names = {"en": "English", "fr": "French"}
        raise scenario_files.Refused(
            f"The {choice.brand} guidelines are in {names.get(choice.language, choice.language)}"
            f": choose {names.get(choice.language, choice.language)}, or other guidelines.")
    path = Path(folder) / f"{slug}.yaml"
    schema, _ = scenario_files.schema_reference(Path(folder), path)
    return scenario_text(slug, situation=situation, guidelines=choice.guidelines,
                         network=network, level=level, schema=schema)


def create(session: Session, folder: str | Path, slug: str, *, author: User,
           network: str = "twitter", language: str = "en", situation: str = STARTER,
           guidelines: str = "", level: str = "intermediate") -> Path:
    """A new scenario file `slug`.yaml, recorded as a draft: a situation written for the
    guidelines, network, language and level, or the commented starter."""
    slug = slug.strip()
    problem = scenario_files.slug_problem(slug)
    if problem:
        raise scenario_files.Refused(problem)
    text = starting_text(folder, slug, situation=situation, guidelines=guidelines,
                         network=network, language=language, level=level)
    path = scenario_files.create(
        folder, slug, network=network, language=language, text=text,
        before_write=lambda: lifecycle.start_as_draft(session, slug, author))
    versions.record(session, kind=SCENARIO, key=path.stem, text=path.read_text(encoding="utf-8"),
                    author=author, note="created")
    return path


def save(session: Session, folder: str | Path, path: Path, text: str, *, started_from: str,
         author: User, note: str = "saved", kind: str = SCENARIO) -> scenario_files.Saved:
    """Save the editor's text; a published scenario's text must pass the publishing checks, a
    published guidelines file's must have no error and no warning."""
    published = lifecycle.states(session).of(kind, path.stem).name == lifecycle.PUBLISHED
    if kind == lifecycle.GUIDELINES:
        return _save_guidelines(session, folder, path, text, started_from=started_from,
                                author=author, note=note, published=published)

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


def _save_guidelines(session: Session, folder: str | Path, path: Path, text: str, *,
                     started_from: str, author: User, note: str,
                     published: bool) -> scenario_files.Saved:
    kind = lifecycle.GUIDELINES

    def still_clean(check: scenario_files.TextCheck) -> None:
        if check.warnings:
            count = len(check.warnings)
            raise scenario_files.Refused(
                f"Not saved: {path.name} is published, so every scenario using it is scored with "
                f"this text at once, and it has {count} warning{'s' if count != 1 else ''}. Fix "
                "them, or move the guidelines back to draft to work on them.", check)

    saved = scenario_files.save(folder, path, text, started_from=started_from,
                                vet=still_clean if published else None,
                                checker=scenario_files.check_guidelines_text)
    if saved.previous is not None:
        versions.record_baseline(session, kind=kind, key=path.stem, text=saved.previous)
        versions.record(session, kind=kind, key=path.stem, text=saved.check.text,
                        author=author, note=note)
    return saved


def restore(session: Session, folder: str | Path, path: Path, number: int, *,
            started_from: str, author: User, kind: str = SCENARIO) -> scenario_files.Saved:
    """Save version `number` of the file again, as its newest version."""
    found = next((v for v in versions.history(session, kind, path.stem)
                  if v.number == number), None)
    if found is None:
        raise scenario_files.Refused(f"{path.name} has no version {number}: reload the history.")
    text = versions.text_of(session, found.digest)
    return save(session, folder, path, text, started_from=started_from, author=author,
                note=f"restored version {number}", kind=kind)
