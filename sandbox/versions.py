"""The saved versions of a library file: who saved each, when, what changed, which runs played it.

Each text is kept once in content_version (the table runs already name their version in), and
each save adds a ContentRevision row. The first save in the app also keeps the text the file had
before, so the history starts from what was there (a shipped file, a file edited in git).
"""

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from sandbox.models import ContentRevision, ContentVersion, Run, User

FOUND_ON_DISK = "the file as it was before its first save in the app"


@dataclass(frozen=True)
class Version:
    number: int  # 1 for the oldest
    revision: ContentRevision
    runs: int  # runs that played exactly this text

    @property
    def digest(self) -> str:
        return self.revision.digest

    @property
    def at(self) -> datetime:
        return self.revision.at


def record(session: Session, *, kind: str, key: str, text: str, author: User | None,
           note: str) -> ContentRevision | None:
    """Keep `text` as the newest version of the file (nothing when it already is)."""
    from sandbox.runs import store_version

    digest = store_version(session, kind=kind, slug=key, text=text)
    latest = _latest(session, kind, key)
    if latest is not None and latest.digest == digest:
        return None
    revision = ContentRevision(kind=kind, key=key, digest=digest, note=note[:200],
                               author_id=author.id if author else None,
                               author_name=(author.name if author else "(on disk)")[:120])
    session.add(revision)
    session.commit()
    return revision


def record_baseline(session: Session, *, kind: str, key: str, text: str) -> None:
    """Before the first save in the app, keep what the file held."""
    if _latest(session, kind, key) is None:
        record(session, kind=kind, key=key, text=text, author=None, note=FOUND_ON_DISK)


def _latest(session: Session, kind: str, key: str) -> ContentRevision | None:
    return session.exec(select(ContentRevision).where(
        ContentRevision.kind == kind, ContentRevision.key == key)
        .order_by(ContentRevision.id.desc())).first()


def history(session: Session, kind: str, key: str) -> list[Version]:
    """Every saved version, newest first, with the number of runs that played each."""
    revisions = session.exec(select(ContentRevision).where(
        ContentRevision.kind == kind, ContentRevision.key == key)
        .order_by(ContentRevision.id)).all()
    digests = {revision.digest for revision in revisions}
    counts = dict(session.exec(select(Run.scenario_digest, func.count(Run.id))
                               .where(Run.scenario_digest.in_(digests))
                               .group_by(Run.scenario_digest)).all()) if digests else {}
    versions = [Version(number, revision, counts.get(revision.digest, 0))
                for number, revision in enumerate(revisions, start=1)]
    return versions[::-1]


def text_of(session: Session, digest: str) -> str:
    return session.get(ContentVersion, digest).text


def number_of(session: Session, kind: str, key: str, digest: str) -> int | None:
    """The version number of this exact text of the file (the latest save of it); None when the
    text was never saved in the app."""
    found = [version.number for version in history(session, kind, key)
             if version.digest == digest]
    return found[0] if found else None


@dataclass(frozen=True)
class Played:
    """Which version of its scenario a run played."""

    key: str  # the library file
    number: int | None  # None: a text saved before the history began (or outside the app)
    digest: str

    @property
    def label(self) -> str:
        return f"version {self.number}" if self.number else f"text {self.digest[:8]}"


def played_by(session: Session, run: Run) -> Played:
    """The version a run played: the number of its exact text in its file's history."""
    revision = session.exec(select(ContentRevision).where(
        ContentRevision.kind == "scenario", ContentRevision.digest == run.scenario_digest)
        .order_by(ContentRevision.id.desc())).first()
    if revision is None:
        return Played(run.scenario_id, None, run.scenario_digest)
    return Played(revision.key, number_of(session, "scenario", revision.key, revision.digest),
                  run.scenario_digest)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same | added | removed | hunk
    text: str


def diff(before: str, after: str, *, context: int = 3) -> list[DiffLine]:
    """What changed from `before` to `after`, line by line (a unified diff, without its header)."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=context)
    found: list[DiffLine] = []
    for line in lines:
        if not found and line.startswith(("---", "+++")):  # the header, before the first hunk
            continue
        if line.startswith("@@"):
            found.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            found.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            found.append(DiffLine("removed", line[1:]))
        else:
            found.append(DiffLine("same", line[1:]))
    return found
