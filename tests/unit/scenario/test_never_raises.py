"""Whatever a trainer pastes in, the validator answers with findings, never a traceback."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sandbox.core.scenario import parse_guidelines_text, parse_scenario_text, render_text

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"
VALID = (FIXTURES / "valid.yaml").read_text()
KEYS = [
    "format",
    "id",
    "title",
    "language",
    "duration",
    "platform",
    "guidelines",
    "timeline",
    "scenes",
    "personas",
    "experts",
    "noise",
    "tests",
    "at",
    "after",
    "kind",
    "from",
    "text",
    "reply_to",
    "expect",
    "branches",
    "when",
    "goto",
    "fake",
    "name",
    "handle",
    "count",
    "must_mention",
    "model_answer",
    "no_reply_within",
    "reply_score_below",
    "action",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "30s",
            "2:30",
            "-5m",
            "post",
            "comment",
            "maria",
            "pile_on",
            "end",
            "en_UK",
            "#tag",
            "@brand",
            "first_post",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=10)


def check_result(loaded) -> None:
    assert all(d.line >= 1 and d.column >= 1 for d in loaded.diagnostics)
    render_text(loaded.diagnostics, loaded.sources)


def dump(value) -> str:
    import io

    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    out = io.StringIO()
    yaml.dump(value, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    check_result(parse_scenario_text(text, "any.yaml"))
    parse_guidelines_text(text, "any.yaml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_arbitrary_yaml_documents_never_raise(document):
    check_result(parse_scenario_text(dump(document), "any.yaml"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(VALID)), st.integers(0, len(VALID)), st.text(max_size=12))
def test_a_damaged_valid_scenario_never_raises(start, length, insert):
    text = VALID[:start] + insert + VALID[start + length :]
    check_result(parse_scenario_text(text, "damaged.yaml"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6), VALUES)
def test_any_value_at_any_place_in_a_valid_scenario_never_raises(path, value):
    data = YAML(typ="safe", pure=True).load(VALID)
    node = data
    for key in path[:-1]:
        child = node.get(key) if isinstance(node, dict) else None
        if not isinstance(child, dict):
            break
        node = child
    if isinstance(node, dict):
        node[path[-1]] = value
    check_result(parse_scenario_text(dump(data), "mutated.yaml"))


def test_deeply_nested_yaml_is_a_finding():
    text = "title: " + "[" * 3000 + "]" * 3000 + "\n"
    [finding] = parse_scenario_text(text).diagnostics
    assert finding.code == "SCN012"


def test_a_mapping_nested_by_indentation_beyond_the_limit_is_a_finding():
    text = "".join(" " * (2 * depth) + f"k{depth}:\n" for depth in range(300)) + " " * 600 + "v\n"
    assert [d.code for d in parse_scenario_text(text).diagnostics] == ["SCN012"]


def test_an_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    [finding] = parse_scenario_text("\n".join(lines) + "\n").diagnostics
    assert finding.code == "SCN011"


def test_text_that_is_not_utf8_is_reported_with_its_position(tmp_path):
    from sandbox.core.scenario import load_scenario

    path = tmp_path / "latin1.yaml"
    path.write_bytes("format: 1\ntitle: Caf\u00e9\n".encode("latin-1"))
    [finding] = load_scenario(path).diagnostics
    assert (finding.code, finding.line, finding.column) == ("SCN010", 2, 11)


def test_a_folder_given_as_a_file_is_unreadable(tmp_path):
    from sandbox.core.scenario import load_scenario

    [finding] = load_scenario(tmp_path).diagnostics
    assert finding.code == "SCN009"


def test_a_timeline_entry_with_a_structure_error_and_a_test_naming_it_is_a_finding():
    shipped = Path(__file__).resolve().parents[3] / "scenarios" / "sunnyfoods-recall.yaml"
    text = shipped.read_text().replace("    from: maria", '    from: "Not a slug"', 1)
    result = parse_scenario_text(text, "broken.yaml")
    check_result(result)
    assert any(d.severity == "error" for d in result.diagnostics)
