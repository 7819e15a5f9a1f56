"""A scenario and its guidelines as one file, to share between installations.

A bundle is a YAML file (docs/scenario-format.md, "Sharing a scenario"): the two files' names and
their exact texts. Exporting only reads. Importing checks the bundle as `sandbox validate` would
check the two files side by side, never replaces a file of the library (a name or a scenario id
already taken is refused, with what to do), and lands as drafts: the scenario, and its guidelines
when they are new. Guidelines identical to the library's are used as they are.
"""

import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString
from sqlmodel import Session

from sandbox import library, lifecycle, scenario_files, versions
from sandbox.core.scenario import parse_guidelines_text, parse_scenario_text, render_text
from sandbox.models import User

FORMAT = "community-sandbox-bundle/1"
SUFFIX = ".bundle.yaml"
# A scenario and its guidelines, each at most the editor's limit, with room for the wrapping.
MAX_BYTES = 3 * scenario_files.MAX_CHARS
HOW_TO_FIX = ("Export the scenario again from its page (Export) or with "
              "`sandbox scenario export NAME -o FILE`.")


class Refused(scenario_files.Refused):
    """Why a bundle was not imported; `reasons` lists the findings to fix."""

    def __init__(self, message: str, reasons: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.reasons = list(reasons)


@dataclass(frozen=True)
class Part:
    file: str  # a plain file name, e.g. sunnyfoods-recall.yaml
    text: str

    @property
    def key(self) -> str:
        return self.file.removesuffix(".yaml")


@dataclass(frozen=True)
class Bundle:
    scenario: Part
    guidelines: Part | None


@dataclass(frozen=True)
class Imported:
    scenario: Path
    guidelines: Path | None
    guidelines_new: bool  # False: the library's identical guidelines are used
    warnings: int


# ---------------------------------------------------------------- export


def export_text(entry: library.Entry) -> str:
    """The bundle of a library scenario: its file and, when found, its guidelines file."""
    document = {"bundle": FORMAT,
                "scenario": {"file": entry.path.name, "text": LiteralScalarString(entry.text)}}
    if entry.guidelines_path is not None and entry.guidelines_text is not None:
        document["guidelines"] = {"file": entry.guidelines_path.name,
                                  "text": LiteralScalarString(entry.guidelines_text)}
    yaml = YAML()
    yaml.width = 4096
    out = StringIO()
    out.write(f"# A Community Sandbox scenario with its guidelines ({entry.path.name}).\n"
              "# Import it with the scenario library's Import page or "
              "`sandbox scenario import FILE`.\n")
    yaml.dump(document, out)
    return out.getvalue()


# ---------------------------------------------------------------- reading


def read(data: bytes, source: str = "the file") -> Bundle:
    """The bundle in `data`, or Refused saying what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise Refused(f"{source} is {len(data):,} bytes: a bundle holds at most "
                      f"{MAX_BYTES:,} bytes (a scenario and its guidelines). Nothing was imported.")
    if not data.strip():
        raise Refused(f"{source} is empty. {HOW_TO_FIX}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(f"{source} is not a text file: a bundle is a YAML file such as "
                      f"recall{SUFFIX}. {HOW_TO_FIX}") from None
    try:
        document = YAML(typ="safe", pure=True).load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise Refused(f"{source} is not valid YAML{where}, so it is not a bundle. "
                      f"{HOW_TO_FIX}") from None
    except (ValueError, TypeError, RecursionError):
        raise Refused(f"{source} could not be read as YAML. {HOW_TO_FIX}") from None
    if not isinstance(document, dict) or document.get("bundle") != FORMAT:
        raise Refused(f"{source} is not a scenario bundle: it must start with "
                      f"`bundle: {FORMAT}` and hold `scenario:` (and `guidelines:`) with a "
                      f"`file:` and a `text:` each. {HOW_TO_FIX}")
    unknown = sorted(str(key) for key in document if key not in ("bundle", "scenario",
                                                                  "guidelines"))
    if unknown:
        raise Refused(f"{source} has unknown keys ({', '.join(unknown)}): a bundle holds only "
                      f"`bundle`, `scenario` and `guidelines`. {HOW_TO_FIX}")
    scenario = _part(document.get("scenario"), "scenario", source)
    if scenario is None:
        raise Refused(f"{source} holds no `scenario:`. {HOW_TO_FIX}")
    guidelines = _part(document.get("guidelines"), "guidelines", source)
    return Bundle(scenario, guidelines)


def _part(value, name: str, source: str) -> Part | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("file"), str) \
            or not isinstance(value.get("text"), str) or set(value) - {"file", "text"}:
        raise Refused(f"In {source}, `{name}:` must hold exactly a `file:` (its name) and a "
                      f"`text:` (its content). {HOW_TO_FIX}")
    file, text = value["file"], value["text"]
    key = file.removesuffix(".yaml")
    if not file.endswith(".yaml") or scenario_files.FILE_KEY.fullmatch(key) is None \
            or len(key) > scenario_files.MAX_SLUG:
        raise Refused(f'In {source}, the {name} file name "{file[:80]}" is not a plain file name:'
                      " use letters, digits and dashes, ending in .yaml (no folders), e.g. "
                      "late-delivery.yaml.")
    if len(text) > scenario_files.MAX_CHARS:
        raise Refused(f"In {source}, {file} is {len(text):,} characters: the limit is "
                      f"{scenario_files.MAX_CHARS:,}.")
    return Part(file, scenario_files.normalized(text))


# ---------------------------------------------------------------- importing


def _guidelines_folder(folder: Path) -> Path:
    return folder / "guidelines"


def check(folder: str | Path, bundle: Bundle) -> tuple[tuple, bool]:
    """The findings on the bundle's files as they would sit in the library, and whether its
    guidelines are new there. Refused when it cannot land without replacing a file."""
    folder = Path(folder)
    scenario, guidelines = bundle.scenario, bundle.guidelines
    problem = scenario_files.slug_problem(scenario.key)
    if problem:
        raise Refused(f"The scenario file is called {scenario.file}: {problem}")
    if scenario_files.file_in(folder, scenario.key).exists() \
            or (folder / f"{scenario.key}.yml").exists():
        raise Refused(f"The library already has a file called {scenario.file}: nothing was "
                      "imported and nothing was replaced. Rename or delete the library's file, "
                      "or change the file name in the bundle (and the scenario's `id:`) and "
                      "import it again.")
    new_guidelines = False
    with tempfile.TemporaryDirectory(prefix="bundle-") as scratch:
        search = [_guidelines_folder(folder)]
        findings = []
        if guidelines is not None:
            existing = _guidelines_folder(folder) / guidelines.file
            if existing.exists():
                if scenario_files.normalized(existing.read_text(encoding="utf-8-sig",
                                                                errors="replace")) \
                        != guidelines.text:
                    raise Refused(
                        f"The library already has guidelines/{guidelines.file}, with a different "
                        "text: nothing was imported and nothing was replaced. Compare the two, "
                        "then either make the library's file the one you want and import the "
                        "bundle without its `guidelines:`, or rename the bundle's guidelines "
                        "(its `file:`, its `id:` and the scenario's `guidelines:`).")
            else:
                new_guidelines = True
                own = Path(scratch) / "guidelines"
                own.mkdir()
                (own / guidelines.file).write_text(guidelines.text, encoding="utf-8")
                search = [own, *search]
                findings += parse_guidelines_text(guidelines.text, guidelines.file).diagnostics
        loaded = parse_scenario_text(scenario.text, scenario.file, search)
    findings += loaded.diagnostics
    if loaded.scenario is not None:
        named = loaded.scenario.guidelines
        if guidelines is not None and named != guidelines.key:
            raise Refused(f'The scenario names the guidelines "{named}", but the bundle carries '
                          f"{guidelines.file}: they must match. {HOW_TO_FIX}")
        twin = next((e for e in library.entries(folder) if e.slug == loaded.scenario.id), None)
        if twin is not None:
            raise Refused(f'The library already has a scenario with the id "{loaded.scenario.id}"'
                          f" ({twin.path.name}): nothing was imported. Change the `id:` in the "
                          "bundle (and its file name), or archive and rename the library's one.")
    errors = [d for d in findings if d.severity == "error"]
    if errors:
        sources = {scenario.file: scenario.text}
        if guidelines is not None:
            sources[guidelines.file] = guidelines.text
        count = len(errors)
        raise Refused(f"Not imported: the bundle has {count} error{'s' if count != 1 else ''}. "
                      "Fix them in the bundle (or in the installation it came from) and import "
                      "it again.", render_text(errors, sources).splitlines())
    return tuple(findings), new_guidelines


def import_bundle(session: Session, folder: str | Path, data: bytes, *, actor: User | str,
                  source: str = "the file") -> Imported:
    """Add the bundle's scenario (and new guidelines) to the library as drafts."""
    folder = Path(folder)
    bundle = read(data, source)
    findings, new_guidelines = check(folder, bundle)
    author = actor if isinstance(actor, User) else None
    guidelines_path = None
    if bundle.guidelines is not None:
        guidelines_path = _guidelines_folder(folder) / bundle.guidelines.file
        if new_guidelines:
            key = bundle.guidelines.key
            scenario_files.create_file(
                guidelines_path, bundle.guidelines.text,
                before_write=lambda: lifecycle.start_as_draft(session, key, actor,
                                                              kind=lifecycle.GUIDELINES))
            versions.record(session, kind=lifecycle.GUIDELINES, key=key,
                            text=bundle.guidelines.text, author=author, note="imported")
    scenario = bundle.scenario
    path = scenario_files.create(
        folder, scenario.key, text=scenario.text,
        before_write=lambda: lifecycle.start_as_draft(session, scenario.key, actor))
    versions.record(session, kind=lifecycle.SCENARIO, key=scenario.key, text=scenario.text,
                    author=author, note="imported")
    warnings = sum(1 for d in findings if d.severity == "warning")
    return Imported(path, guidelines_path, new_guidelines, warnings)
