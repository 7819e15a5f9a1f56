"""docs/scenario-format.md served in the app: the whole guide, or the entry of one diagnostic
code, rendered from the same file trainers read in the repository (so the two cannot drift).

The file is ours (reviewed like code), so its HTML is trusted; it is read again when it changes.
"""

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import markdown
from markdown.extensions.toc import slugify

from sandbox.core.scenario import SHIPPED_SCENARIOS

GUIDE = SHIPPED_SCENARIOS.parent / "docs" / "scenario-format.md"
CODE = re.compile(r"(?:SCN|GDL)\d{3}")
_HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
_EXTENSIONS = ["fenced_code", "tables", "toc"]


@dataclass(frozen=True)
class Section:
    anchor: str  # the code (SCN202)
    title: str
    html: str
    heading_id: str  # the id of its heading in the whole guide


@dataclass(frozen=True)
class Guide:
    html: str  # the whole guide
    sections: dict[str, Section]  # by diagnostic code


_lock = threading.Lock()
_cached: tuple[tuple, Guide] | None = None


def guide(path: Path = GUIDE) -> Guide:
    """The rendered guide, cached until the file changes."""
    global _cached
    stat = path.stat()
    signature = (str(path), stat.st_mtime_ns, stat.st_size)
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
    built = _build(path.read_text(encoding="utf-8"))
    with _lock:
        _cached = (signature, built)
    return built


def _render(text: str) -> str:
    return markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")


def _build(text: str) -> Guide:
    sections = {}
    headings = list(_HEADING.finditer(text))
    for index, heading in enumerate(headings):
        title = heading.group(2).strip()
        code = CODE.match(title)
        if not code:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        body = text[heading.end():end].strip()
        sections[code.group(0)] = Section(code.group(0), title, _render(body),
                                          slugify(title, "-"))
    return Guide(_render(text), sections)


def section(code: str) -> Section | None:
    """The documentation of one diagnostic code; None for a code the guide does not document."""
    return guide().sections.get(code.upper()) if CODE.fullmatch(code.upper()) else None
