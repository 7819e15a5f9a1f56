"""The library's scenario files as trainers change them in the browser: check, create, save.

A text is checked exactly as `sandbox validate` checks the file it would become: guidelines are
found beside it in the library folder, and its id must be unique in the folder.

Every write goes to a temporary file in the same folder, which then takes the file's name in one
step (`os.replace`, or `os.link` for a new file), so a reader — another worker, the library cache,
`sandbox validate` — sees the old file or the new one, never half of one. Writers take turns (a
lock on the folder, across threads and worker processes), and a save names the version of the file
it started from: when the file has changed since, the save is refused and nothing is overwritten.
"""

import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sandbox import library
from sandbox.core.scenario import (
    SHIPPED_SCENARIOS,
    Diagnostic,
    Guidelines,
    Scenario,
    parse_guidelines_text,
    parse_scenario_text,
)
from sandbox.core.scenario.diagnostics import HasDiagnostics, id_position, make
from sandbox.core.scenario.starter import starter_text

MAX_CHARS = 100_000  # seven times the largest shipped scenario
# The largest request the editor reads: MAX_CHARS characters sent as a form (URL-encoded, up to
# 9 bytes a character) and the other fields. Larger bodies are refused before they are read.
MAX_REQUEST_BYTES = 1_000_000
NEW_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_SLUG = 60
FILE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # the name of a library file, without .yaml
# /scenarios/new creates one; /scenarios/format/ is the docs; /scenarios/import takes a bundle;
# /scenarios/guidelines/ holds the guidelines' pages
RESERVED = {"new", "format", "import", "guidelines"}
NETWORKS = ("twitter", "facebook")
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class TextCheck(HasDiagnostics):
    """What the validator says of a text, as the file `name` of the library."""

    name: str
    text: str
    scenario: Scenario | None
    guidelines: Guidelines | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def slug(self) -> str | None:
        return self.scenario.id if self.scenario else None

    def in_text(self, diagnostic: Diagnostic) -> bool:
        """Whether the finding points into this text (not into the guidelines file it names)."""
        return diagnostic.path == self.name


class Refused(ValueError):
    """Why nothing was written, in words a trainer can act on; `check` is the text's check."""

    status = 422  # the HTTP status of a page that says so

    def __init__(self, message: str, check: TextCheck | None = None):
        super().__init__(message)
        self.check = check


class Conflict(Refused):
    """The file changed (or went) since the editor opened it."""

    status = 409


class Unwritable(Refused):
    """The folder cannot be written (permissions, a full disk): nothing the text can fix."""

    status = 503

    def __init__(self, path: Path, error: OSError, check: TextCheck | None = None):
        reason = (error.strerror or "the system refused").lower()
        super().__init__(f"Not saved: {path.name} could not be written ({reason}). Ask an "
                         "administrator to check the scenario folder (permissions, free space).",
                         check)


@dataclass(frozen=True)
class Saved:
    check: TextCheck
    unchanged: bool  # the file already held this text when the editor opened it
    previous: str | None = None  # the text it replaced (None when nothing was written)


def normalized(text: str) -> str:
    """The editor's text as the file will hold it: browsers send line ends as CRLF."""
    text = text.replace("\r\n", "\n")
    return text if not text or text.endswith("\n") else text + "\n"


def version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_in(folder: str | Path, key: str) -> Path | None:
    """The path of library file `key` (its name without .yaml); None unless a plain name."""
    return Path(folder) / f"{key}.yaml" if FILE_KEY.fullmatch(key) else None


def read(path: Path) -> tuple[str, str]:
    """The file's text for the editor, and the version a later save must start from."""
    data = path.read_bytes()
    return data.decode("utf-8-sig", errors="replace"), version(data)


def too_large(name: str, text: str | None = None) -> TextCheck:
    """The check of a text over the editor's limit (`text` is None when it never arrived)."""
    size = f"{len(text):,} characters" if text else "larger than the editor takes"
    finding = make("SCN011", name, (1, 1, 2),
                   f"the text is {size}; the limit is {MAX_CHARS:,} characters",
                   "split it into several scenarios, or shorten the longest texts")
    return TextCheck(name, text or "", None, None, (finding,))


def check_text(folder: str | Path, path: Path, text: str) -> TextCheck:
    """The validator's findings on `text` as the file `path` of the library `folder`."""
    folder, text = Path(folder), normalized(text)
    if len(text) > MAX_CHARS:
        return too_large(path.name, text)
    # Guidelines are looked up where the library looks for the file on disk (library._load).
    search = [path.parent / "guidelines", folder / "guidelines"]
    loaded = parse_scenario_text(text, path.name, search)
    findings = list(loaded.diagnostics)
    if loaded.scenario is not None:
        twin = next((entry for entry in library.entries(folder)
                     if entry.slug == loaded.scenario.id and entry.path != path), None)
        if twin is not None:
            findings.append(make(
                "SCN216", path.name, id_position(text),
                f'the scenario id "{loaded.scenario.id}" is also used by {twin.path.name}',
                "scenario ids must be unique: choose another id"))
            findings.sort(key=Diagnostic.sort_key)
    return TextCheck(path.name, text, loaded.scenario, loaded.guidelines, tuple(findings))


def check_guidelines_text(folder: str | Path, path: Path, text: str) -> TextCheck:
    """The validator's findings on `text` as the guidelines file `path` (as `sandbox validate`
    checks it)."""
    text = normalized(text)
    if len(text) > MAX_CHARS:
        return too_large(path.name, text)
    loaded = parse_guidelines_text(text, path.name)
    return TextCheck(path.name, text, None, loaded.guidelines, tuple(loaded.diagnostics))


def save(folder: str | Path, path: Path, text: str, *, started_from: str,
         vet: Callable[[TextCheck], None] | None = None,
         checker: Callable[[str | Path, Path, str], TextCheck] = check_text) -> Saved:
    """Write `text` as the file `path` when it has no errors and the file is still the version
    `started_from`. Sending the same text again (a double click) finds it saved and succeeds.
    `vet` may refuse a text without errors (raising Refused), e.g. a published scenario's;
    `checker` finds the errors (check_guidelines_text for a guidelines file)."""
    check = checker(folder, path, text)
    data = check.text.encode("utf-8")
    try:
        with _writer(folder):
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                raise Conflict(f"Not saved: {path.name} was deleted or renamed since you opened "
                               "it. Your text is below: copy it, then create a new scenario and "
                               "paste it there.", check) from None
            if current == data:
                return Saved(check, unchanged=version(current) == started_from)
            if version(current) != started_from:
                raise Conflict(f"Not saved: {path.name} was changed by someone else (or in "
                               "another tab) since you opened it. Your text is below, unsaved: "
                               "copy what you need, then reopen the editor to start from the "
                               "current file.", check)
            if check.errors:
                count = len(check.errors)
                raise Refused(f"Not saved: the text has {count} error{'s' if count != 1 else ''}."
                              " Fix them first (warnings are fine).", check)
            if vet is not None:
                vet(check)
            _write(path, data, replace=True)
    except OSError as error:
        raise Unwritable(path, error, check) from None
    return Saved(check, unchanged=False, previous=current.decode("utf-8-sig", errors="replace"))


def slug_problem(slug: str) -> str | None:
    if not slug:
        return "Give the new scenario a name, e.g. late-delivery."
    if len(slug) > MAX_SLUG or not NEW_SLUG.fullmatch(slug):
        return (f"Use lower-case letters, digits and single dashes, starting with a letter, at "
                f"most {MAX_SLUG} characters (e.g. late-delivery).")
    if slug in RESERVED:
        return f'"{slug}" is reserved: choose another name.'
    return None


def _taken(folder: Path, slug: str) -> bool:
    files = any((folder / f"{slug}{suffix}").exists() for suffix in (".yaml", ".yml"))
    return files or any(entry.slug == slug for entry in library.entries(folder))


def create(folder: str | Path, slug: str, *, network: str = "twitter",
           language: str = "en", before_write: Callable[[], None] | None = None,
           text: str | None = None) -> Path:
    """`<slug>.yaml` from `text`, or the starter that `sandbox new-scenario` writes. Sending the
    same form again (a double click) finds the untouched file and succeeds. `before_write` runs
    once the name is known to be free, just before the file appears (it records the draft)."""
    folder, slug = Path(folder), slug.strip()
    problem = slug_problem(slug)
    if problem:
        raise Refused(problem)
    if network not in NETWORKS or language not in LANGUAGES:
        raise Refused("Choose a network (Twitter or Facebook) and a language (English or French).")
    path = folder / f"{slug}.yaml"
    data = (text if text is not None
            else _starter(folder, path, slug, network, language)).encode("utf-8")
    taken = Refused(f'A scenario called "{slug}" already exists: choose another name.')
    try:
        with _writer(folder):
            with suppress(OSError):
                if path.read_bytes() == data:
                    return path
            if _taken(folder, slug):
                raise taken
            if before_write is not None:
                before_write()
            _write(path, data, replace=False)
    except FileExistsError:  # written meanwhile by someone who does not take the lock
        raise taken from None
    except OSError as error:
        raise Unwritable(path, error) from None
    return path


def create_file(path: Path, text: str, *, before_write: Callable[[], None] | None = None) -> None:
    """A new file of the library (e.g. imported guidelines): refused when the name is taken."""
    taken = Refused(f"The library already has {path.parent.name}/{path.name}: nothing was "
                    "replaced.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _writer(path.parent):
            if path.exists():
                raise taken
            if before_write is not None:
                before_write()
            _write(path, text.encode("utf-8"), replace=False)
    except FileExistsError:
        raise taken from None
    except OSError as error:
        raise Unwritable(path, error) from None


def schema_reference(folder: Path, path: Path) -> tuple[str, str]:
    """The schema path a new file's modeline names, and the file's name as its comments show it."""
    schema = SHIPPED_SCENARIOS / "schema" / "scenario.schema.json"
    root = SHIPPED_SCENARIOS.parent
    if folder.absolute().is_relative_to(root):
        return (Path(os.path.relpath(schema, folder.absolute())).as_posix(),
                path.absolute().relative_to(root).as_posix())
    return schema.as_posix(), path.absolute().as_posix()


def _starter(folder: Path, path: Path, slug: str, network: str, language: str) -> str:
    # As `sandbox new-scenario` does: paths relative to the repository when inside it.
    schema_ref, shown = schema_reference(folder, path)
    return starter_text(slug, platform=network, language=language, schema=schema_ref,
                        filename=shown)


@contextmanager
def _writer(folder: str | Path) -> Iterator[None]:
    """One writer at a time in `folder`: an exclusive lock on the folder itself (no lock file)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _write(path: Path, data: bytes, *, replace: bool) -> None:
    """Write through a temporary file beside `path`; a new file must not exist yet."""
    mode = (path.stat().st_mode & 0o777) if replace else 0o644
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the name was taken meanwhile
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the new name durable (a crash right after the save keeps it)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)



def remove(path: Path) -> None:
    """Delete a library file (sandbox.lifecycle decides whether it may go)."""
    try:
        with _writer(path.parent):
            path.unlink(missing_ok=True)
    except OSError as error:
        raise Unwritable(path, error) from None
