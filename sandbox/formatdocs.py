"""docs/scenario-format.md served in the app: the whole guide, the entry of one diagnostic code,
and what the editor's field help borrows from it (the rows of its field tables, its complete
example), all read from the same file trainers read in the repository (so they cannot drift).

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
_EXAMPLE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_CELL = re.compile(r"((?:`[^`]*`|[^|`])+)")  # a table cell: pipes inside `code` do not split it
_KEY = re.compile(r"`([a-z][a-z0-9_]*)(?::[^`]*)?`")  # `kind`, or `no_reply_within: 10m`


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
    # the rows of the field tables: heading id -> key -> what the row says (HTML)
    fields: dict[str, dict[str, str]]
    example: str  # the YAML of "A complete example"


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


def _inline(text: str) -> str:
    return _render(text).removeprefix("<p>").removesuffix("</p>")


def _table_rows(body: str) -> dict[str, str]:
    """key -> what its row of the section's table says, the other columns named by their
    header (`required: yes · what it is: ...`); a row naming several keys serves each, and a
    key with several rows gets them all."""
    rows = [line.strip() for line in body.splitlines() if line.strip().startswith("|")]
    if len(rows) < 3:
        return {}
    split = [[cell.strip() for cell in _CELL.findall(row.strip("|"))] for row in rows]
    header, found = split[0], {}
    for cells in split[2:]:
        said = [f"{name}: {cell}" if len(cells) > 2 else cell
                for name, cell in zip(header[1:], cells[1:], strict=False) if cell]
        for key in _KEY.findall(cells[0]):
            row = _inline(" · ".join(said))
            found[key] = f"{found[key]}<br>{row}" if key in found else row
    return found


def _build(text: str) -> Guide:
    sections, fields, example = {}, {}, ""
    headings = list(_HEADING.finditer(text))
    for index, heading in enumerate(headings):
        title = heading.group(2).strip()
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        body = text[heading.end():end].strip()
        heading_id = slugify(title, "-")
        code = CODE.match(title)
        if code:
            sections[code.group(0)] = Section(code.group(0), title, _render(body), heading_id)
        elif rows := _table_rows(body):
            fields[heading_id] = rows
        if heading_id == "a-complete-example" and (block := _EXAMPLE.search(body)):
            example = block.group(1)
    return Guide(_render(text), sections, fields, example)


def section(code: str) -> Section | None:
    """The documentation of one diagnostic code; None for a code the guide does not document."""
    return guide().sections.get(code.upper()) if CODE.fullmatch(code.upper()) else None
