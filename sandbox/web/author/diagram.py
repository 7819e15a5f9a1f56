"""The story view drawn as a diagram: the scenario's events on a time axis that runs down the
page, one lane for the public feed and one for what is private (direct messages and the team
panel), each branch a labelled fork under its event with an edge to the first event of the scene
it leads to.

Laid out here, drawn by templates/author/_story_diagram.html as SVG (positions are SVG
attributes: the CSP forbids style attributes). Built from the story (sandbox.web.author.story),
so every step keeps its line and a click goes there.

A scene has no fixed time: it starts when its branch fires. A branch on silence
(`no_reply_within: 10m`) fires exactly 10 minutes after its event; any other fires at the
trainee's first reply or action, at the earliest when the event shows. So a scene event is
placed at the earliest moment it can show, marked "≥" unless that moment is certain.
"""

import math
from dataclasses import dataclass

from sandbox.core.replay.compiled import STREAMS
from sandbox.web.author.story import Fork, Step, Story, _clock

# (lane, title, width) and the lane of each stream: what the trainee answers in public, and what
# happens in private (direct messages and the team panel), so the diagram fits beside the editor
LANES = (("feed", "Public feed", 192), ("private", "DMs and team", 142))
LANE_OF_STREAM = {"feed": "feed", "dm": "private", "team": "private"}
AXIS = 56  # the time axis, left of the lanes
HEAD = 30  # lane titles
LINE = 14  # height of a line of text in a node or a fork
PAD = 9  # above and below the text of a node
PILL_INDENT = 12
GAP, PER_MINUTE, MOST = 10, 4, 24  # space between events: more for a longer wait, up to MOST
CHANNEL = 8  # between two edges running down the same gutter
# mean width of a character (text, bold headings, bold forks), to wrap and shorten texts
CHAR, HEADING_CHAR, FORK_CHAR = 6.2, 7.3, 6.7


@dataclass(frozen=True)
class Lane:
    title: str
    x: int
    width: int
    gutter: int  # x of the edges' gutter, right of the lane


@dataclass(frozen=True)
class Node:
    step: Step
    lane: int
    x: int
    y: int
    width: int
    at: int | None  # earliest time it can show (None: no branch leads to its scene)
    exact: bool
    lines: list[str]  # its heading, then its text: wrapped and shortened to fit
    late: bool  # after the end of the scenario: never shows

    @property
    def height(self) -> int:
        return 2 * PAD + LINE * len(self.lines)

    @property
    def time(self) -> str:
        if self.at is None:
            return "—"
        return _clock(self.at) if self.exact else f"≥{_clock(self.at)}"

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


@dataclass(frozen=True)
class Pill:
    fork: Fork
    x: int
    y: int
    width: int
    lines: list[str]  # the condition, then where it leads: wrapped and shortened to fit
    silence: bool  # fires on silence (no_reply_within) rather than on what the trainee does

    @property
    def height(self) -> int:
        return 8 + LINE * len(self.lines)


@dataclass(frozen=True)
class Edge:
    path: str
    silence: bool


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    lanes: list[Lane]
    nodes: list[Node]
    pills: list[Pill]
    edges: list[Edge]
    end_y: int  # where the scenario's duration ends on the axis
    end: str
    unreached_y: int | None  # where the scenes no branch leads to start


def _wrap(text: str, width: int, most: int, char: float = CHAR) -> list[str]:
    """`text` in lines that fit `width`, at most `most` of them (the last one shortened)."""
    room = max(4, int(width / char))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[:most - 1], " ".join(lines[most - 1:])]
    return [line if len(line) <= room else line[:room - 1].rstrip() + "…" for line in lines]


def _fork_lines(fork: Fork, story: Story, width: int) -> list[str]:
    ending = "the scenario ends" if fork.goto == "end" else (
        f"scene {fork.goto}" if fork.goto in story.scenes else f"unknown scene {fork.goto}")
    return [*_wrap(f"if {fork.condition}", width, 2, FORK_CHAR),
            *_wrap(f"→ {ending}", width, 1, FORK_CHAR)]


def _delay(fork: Fork) -> tuple[int, bool]:
    """When a branch fires after its event shows, at the earliest, and whether exactly then."""
    silence = getattr(fork.when, "no_reply_within", None)
    return (silence, True) if silence is not None else (0, False)


def _timing(story: Story) -> tuple[dict[str, int], dict[str, bool], dict[str, int]]:
    """Each reachable scene's earliest start, whether it is certain, and its depth (branches
    from the timeline)."""
    sources: list[tuple[Step, int, bool, int]] = [(s, s.at, True, 0) for s in story.steps]
    start: dict[str, int] = {}
    exact: dict[str, bool] = {}
    depth: dict[str, int] = {}
    for _ in range(len(story.scenes) + 1):  # a scene can only move earlier: this settles
        fires: dict[str, list[tuple[int, bool, int]]] = {}
        for step, at, certain, hops in sources:
            for fork in step.forks:
                if fork.goto in story.scenes:
                    delay, on_silence = _delay(fork)
                    fires.setdefault(fork.goto, []).append(
                        (at + delay, certain and on_silence, hops + 1))
        settled = {name: min(t for t, _, _ in found) for name, found in fires.items()}
        exact = {name: all(sure and t == settled[name] for t, sure, _ in found)
                 for name, found in fires.items()}
        depth = {name: min(h for _, _, h in found) for name, found in fires.items()}
        if settled == start:
            break
        start = settled
        sources = [(s, s.at, True, 0) for s in story.steps] + [
            (s, start[name] + s.at, exact[name], depth[name])
            for name in start for s in story.scenes[name]]
    return start, exact, depth


def _lane(step: Step) -> str:
    return LANE_OF_STREAM[STREAMS.get(step.kind, "feed")]


def _lanes(story: Story) -> list[tuple[str, str, int]]:
    steps = [*story.steps, *(s for scene in story.scenes.values() for s in scene)]
    used = {_lane(step) for step in steps}
    return [lane for lane in LANES if lane[0] in used or lane[0] == "feed"]


def _rounded(points: list[tuple[float, float]], radius: float = 6) -> str:
    """An SVG path through `points` with rounded corners."""
    path = [f"M{points[0][0]:.0f},{points[0][1]:.0f}"]
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        inward = math.dist(before, corner)
        outward = math.dist(corner, after)
        r = min(radius, inward / 2, outward / 2)
        if r < 1:
            path.append(f"L{corner[0]:.0f},{corner[1]:.0f}")
            continue
        enter = (corner[0] + (before[0] - corner[0]) * r / inward,
                 corner[1] + (before[1] - corner[1]) * r / inward)
        leave = (corner[0] + (after[0] - corner[0]) * r / outward,
                 corner[1] + (after[1] - corner[1]) * r / outward)
        path.append(f"L{enter[0]:.0f},{enter[1]:.0f}Q{corner[0]:.0f},{corner[1]:.0f} "
                    f"{leave[0]:.0f},{leave[1]:.0f}")
    path.append(f"L{points[-1][0]:.0f},{points[-1][1]:.0f}")
    return "".join(path)


def _channels(spans: list[tuple[int, int, int]]) -> dict[int, int]:
    """Edges (id, top, bottom) running down one gutter: a channel each, reused when free."""
    ends: list[int] = []
    found = {}
    for ident, top, bottom in sorted(spans, key=lambda span: (span[1], span[2])):
        free = next((c for c, end in enumerate(ends) if end < top - 2), None)
        if free is None:
            free = len(ends)
            ends.append(bottom)
        ends[free] = bottom
        found[ident] = free
    return found


@dataclass
class _Row:
    """An event placed on the axis, before the lanes' x are known."""

    step: Step
    at: int | None
    exact: bool
    y: int
    lines: list[str]
    forks: list[tuple[Fork, int, list[str]]]  # each fork with its y and its lines

    @property
    def middle(self) -> int:
        return self.y + PAD + LINE * len(self.lines) // 2


def layout(story: Story) -> Diagram:
    start, exact, depth = _timing(story)
    lanes_used = _lanes(story)
    lane_of = {name: index for index, (name, _, _) in enumerate(lanes_used)}
    widths = [width + (40 if len(lanes_used) == 1 else 0) for _, _, width in lanes_used]

    # Every event at the earliest time it can show (None: no branch leads to its scene), in
    # the order of time, an event before the scenes its branches open at the same moment.
    placed = [(s, s.at, True, 0) for s in story.steps] + [
        (step, start[name] + step.at if name in start else None, exact.get(name, False),
         depth.get(name, 0)) for name, steps in story.scenes.items() for step in steps]
    order = {name: index for index, name in enumerate(story.scenes)}
    reached = sorted((p for p in placed if p[1] is not None),
                     key=lambda p: (p[1], p[3], order.get(p[0].scene, -1)))
    unreached = [p for p in placed if p[1] is None]

    # Rows, top to bottom: each event, then its forks; more space for a longer wait.
    y, previous = HEAD + 10, None
    rows: list[_Row] = []
    end_y = unreached_y = None
    for step, at, certain, _ in [*reached, *unreached]:
        if end_y is None and (at is None or at > story.duration):
            end_y, y = y + 18, y + 24
        if at is None and unreached_y is None:
            unreached_y, y = y + 6, y + 28
        if previous is not None and at is not None:
            y += GAP + min(MOST, max(0, at - previous) * PER_MINUTE // 60)
        elif rows:
            y += GAP
        width = widths[lane_of[_lane(step)]]
        lines = [*_wrap(f"{step.ref} · {step.kind}", width - 2 * PAD, 1, HEADING_CHAR),
                 *_wrap(f"{step.who}: {step.text}", width - 2 * PAD, 2)]
        row = _Row(step, at, certain, y, lines, [])
        fork_y = y + 2 * PAD + LINE * len(lines)
        for fork in step.forks:
            fork_lines = _fork_lines(fork, story, width - PILL_INDENT - 12)
            row.forks.append((fork, fork_y + 4, fork_lines))
            fork_y += 4 + 8 + LINE * len(fork_lines)
        rows.append(row)
        y = fork_y  # under the event and its forks
        previous = at if at is not None else previous
    if end_y is None:
        end_y, y = y + 18, y + 22

    # The edges run down a gutter right of their fork's lane, a channel each.
    first_of: dict[str, _Row] = {}
    for row in rows:
        first_of.setdefault(row.step.scene, row)
    links = [(row, fork, fork_y, lines, first_of.get(fork.goto))
             for row in rows for fork, fork_y, lines in row.forks]
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for ident, (row, _, fork_y, lines, target) in enumerate(links):
        if target is not None:
            middle = fork_y + (8 + LINE * len(lines)) // 2
            spans.setdefault(lane_of[_lane(row.step)], []).append(
                (ident, min(middle, target.middle), max(middle, target.middle)))
    channels = {lane: _channels(found) for lane, found in spans.items()}
    lanes, x = [], AXIS
    for index, (_, title, _) in enumerate(lanes_used):
        count = max(channels.get(index, {}).values(), default=-1) + 1
        lanes.append(Lane(title, x, widths[index], x + widths[index] + 8))
        x += widths[index] + 16 + count * CHANNEL

    nodes = {id(row): Node(row.step, lane_of[_lane(row.step)],
                           lanes[lane_of[_lane(row.step)]].x, row.y,
                           widths[lane_of[_lane(row.step)]], row.at, row.exact, row.lines,
                           row.at is not None and row.at > story.duration) for row in rows}
    pills, edges = [], []
    for ident, (row, fork, fork_y, lines, target) in enumerate(links):
        node = nodes[id(row)]
        pill = Pill(fork, node.x + PILL_INDENT, fork_y, node.width - PILL_INDENT, lines,
                    _delay(fork)[1])
        pills.append(pill)
        if target is None:
            continue
        goal = nodes[id(target)]
        gutter = lanes[node.lane].gutter + channels[node.lane][ident] * CHANNEL
        middle = pill.y + pill.height // 2
        enter = goal.x if goal.lane > node.lane else goal.x + goal.width
        edges.append(Edge(_rounded([(pill.x + pill.width, middle), (gutter, middle),
                                    (gutter, goal.middle), (enter, goal.middle)]),
                          pill.silence))
    return Diagram(x + 4, y + 16, lanes, list(nodes.values()), pills, edges, end_y,
                   _clock(story.duration), unreached_y)
