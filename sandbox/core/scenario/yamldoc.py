"""A parsed YAML document: plain values, plus where each key and value was written."""

from __future__ import annotations

from dataclasses import dataclass, field

from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent

MAX_CHARS = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

Path = tuple  # keys (str) and list indexes (int) from the document root


@dataclass(frozen=True)
class Span:
    """1-based line and column, exclusive end column on the same line."""

    line: int
    column: int
    end_column: int

    def as_position(self) -> tuple[int, int, int]:
        return (self.line, self.column, self.end_column)


@dataclass(frozen=True)
class Located:
    key: Span | None
    value: Span
    style: str | None = None  # None = plain scalar; '"', "'", '|', '>' otherwise
    end_line: int = 0  # 1-based line where the value ends
    end_column: int = 0  # 1-based column just after the value


class Positions:
    """Path -> Located, computed on first use: most positions are never looked at."""

    def __init__(self, text: str):
        # Holds the text, not the document: a document <-> positions cycle would keep every
        # parsed file alive until the cyclic garbage collector runs.
        self._text = text
        self._lines: list[str] | None = None
        # path -> (key event or None, value event); filled by the builder as it reads.
        self.nodes: dict[Path, tuple] = {}
        self._located: dict[Path, Located] = {}

    def add(self, path: Path, key_node, node) -> None:
        self.nodes[path] = (key_node, node)

    def __contains__(self, path: Path) -> bool:
        return path in self.nodes

    def keys(self):
        return self.nodes.keys()

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text.splitlines()
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def span(self, event) -> Span:
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if type(event) in _COLLECTION_STARTS:
            return Span(line, column, column + 1)
        if event.end_mark.line == event.start_mark.line:
            return Span(line, column, max(column + 1, event.end_mark.column + 1))
        return Span(line, column, len(self.line_text(line)) + 1)

    def end_line(self, path: Path) -> int | None:
        """The 1-based line where the value at `path` ends, without locating it fully."""
        entry = self.nodes.get(path)
        return None if entry is None else entry[1].end_mark.line + 1

    def get(self, path: Path) -> Located | None:
        located = self._located.get(path)
        if located is None and path in self.nodes:
            key_node, node = self.nodes[path]
            located = Located(
                key=self.span(key_node) if key_node is not None else None,
                value=self.span(node),
                style=_style(node),
                end_line=node.end_mark.line + 1,
                end_column=node.end_mark.column + 1,
            )
            self._located[path] = located
        return located


_COLLECTION_STARTS = (MappingStartEvent, SequenceStartEvent)


@dataclass
class YamlDocument:
    path: str
    text: str
    data: object
    positions: Positions = field(init=False)

    def __post_init__(self) -> None:
        self.positions = Positions(self.text)

    def node_span(self, event) -> Span:
        return self.positions.span(event)

    @property
    def lines(self) -> list[str]:
        return self.positions.lines

    def value_at(self, path: Path) -> tuple[int, int, int]:
        """Where the value at `path` starts; falls back to the nearest located ancestor."""
        for cut in range(len(path), -1, -1):
            located = self.positions.get(tuple(path[:cut]))
            if located is not None:
                return located.value.as_position()
        return (1, 1, 2)

    def key_at(self, path: Path) -> tuple[int, int, int]:
        """Where the key of `path` is (its value for list items)."""
        for cut in range(len(path), -1, -1):
            located = self.positions.get(tuple(path[:cut]))
            if located is not None:
                return (located.key or located.value).as_position()
        return (1, 1, 2)

    def line_text(self, line: int) -> str:
        return self.positions.line_text(line)


def _style(event) -> str | None:
    if isinstance(event, ScalarEvent):
        return event.style or None
    return "*" if isinstance(event, AliasEvent) else "{"
