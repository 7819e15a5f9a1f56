"""Loading gives typed values: durations in seconds, branches, scenes, guidelines."""

from pathlib import Path

from sandbox.core.scenario import (
    SHIPPED_GUIDELINES,
    Crowd,
    Fake,
    Persona,
    load_guidelines,
    load_scenario,
    parse_scenario_text,
)

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"
VALID = (FIXTURES / "valid.yaml").read_text()


def test_the_shipped_example_loads_into_typed_values():
    loaded = load_scenario(SHIPPED_GUIDELINES.parent / "sunnyfoods-recall.yaml")
    assert loaded.ok, loaded.diagnostics
    scenario = loaded.scenario
    first = scenario.timeline[0]
    assert (scenario.duration, first.at, first.expect.reply_within) == (1800, 30, 600)
    assert first.from_ == "maria"
    assert first.expect.must_mention[0] == ["sorry", "apologise", "apologize"]
    assert [b.when.condition for b in first.branches] == [
        ("no_reply_within", 600),
        ("reply_score_below", 40),
        ("action", "escalate"),
    ]
    assert scenario.scenes["pile_on"][0].after == 0
    assert scenario.scenes["quality_answers"][0].after == 180
    assert (scenario.noise.every.min_s, scenario.noise.every.max_s) == (20, 90)
    assert isinstance(scenario.personas["crowd"], Crowd)
    assert isinstance(scenario.personas["maria"], Persona)
    assert scenario.event("pile_on.0").from_ == "eco_watch"
    assert loaded.guidelines.id == "sunnyfoods"
    assert loaded.guidelines.response_time["health_safety"].target == 300


def test_yaml_12_keeps_no_as_text_and_refuses_clock_times():
    text = VALID.replace("title: Fixture scenario", "title: NO").replace("at: 30s", "at: 2:30")
    loaded = parse_scenario_text(text, "clock.yaml")
    assert loaded.scenario is None
    assert [d.code for d in loaded.diagnostics] == ["SCN106"]
    assert loaded.diagnostics[0].hints == ["write it with units: 2m30s"]


def test_a_scenario_longer_than_a_working_day_is_refused_with_its_limit():
    # its chatter and its checks grow with its length: 99999999999h kept the editor busy
    text = VALID.replace("duration: 30m", "duration: 99999999999h")
    loaded = parse_scenario_text(text, "long.yaml")
    assert loaded.scenario is None
    assert [d.code for d in loaded.diagnostics] == ["SCN113"]
    assert "longer than a scenario can last (8h)" in loaded.diagnostics[0].message
    assert parse_scenario_text(VALID.replace("duration: 30m", "duration: 8h")).scenario


def test_fake_values_are_typed_with_their_provider():
    text = VALID.replace("name: Maria Kowalski,", "name: {fake: name, locale: fr_FR},")
    loaded = parse_scenario_text(text)
    assert loaded.ok, loaded.diagnostics
    assert loaded.scenario.personas["maria"].name == Fake(fake="name", locale="fr_FR")


def test_guidelines_beside_the_scenario_win_over_the_shipped_ones(tmp_path):
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "guidelines" / "sunnyfoods.yaml").write_text(
        "format: 1\nid: sunnyfoods\nbrand: Local SunnyFoods\n"
    )
    (tmp_path / "mine.yaml").write_text(VALID)
    loaded = load_scenario(tmp_path / "mine.yaml")
    assert loaded.ok, loaded.diagnostics
    assert loaded.guidelines.brand == "Local SunnyFoods"
    assert loaded.guidelines_path == str(tmp_path / "guidelines" / "sunnyfoods.yaml")


def test_without_guidelines_beside_it_a_scenario_uses_the_shipped_ones(tmp_path):
    (tmp_path / "mine.yaml").write_text(VALID)
    loaded = load_scenario(tmp_path / "mine.yaml")
    assert loaded.guidelines_path == str(SHIPPED_GUIDELINES / "sunnyfoods.yaml")


def test_the_shipped_guidelines_folder_can_be_overridden(tmp_path):
    (tmp_path / "mine.yaml").write_text(VALID)
    loaded = load_scenario(tmp_path / "mine.yaml", shipped_guidelines=tmp_path / "nowhere")
    assert [d.code for d in loaded.diagnostics] == ["SCN207"]


def test_a_short_guidelines_file_gets_sensible_defaults(tmp_path):
    path = tmp_path / "guidelines" / "tiny.yaml"
    path.parent.mkdir()
    path.write_text("format: 1\nid: tiny\nbrand: Tiny\n")
    loaded = load_guidelines(path)
    assert loaded.ok, loaded.diagnostics
    assert (loaded.guidelines.verdicts.pass_, loaded.guidelines.verdicts.coach) == (70, 50)
    assert loaded.guidelines.weights.agility == 1
    assert loaded.guidelines.lexicon == {}


def test_guidelines_may_add_words_to_the_scorers_lexicons(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("format: 1\nid: lex\nbrand: Lex\nlexicon:\n  empathy: [gutted for you]\n")
    assert load_guidelines(path).guidelines.lexicon == {"empathy": ["gutted for you"]}


def test_guidelines_may_extend_a_nested_lexicon_list_with_a_dotted_name(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text(
        "format: 1\nid: lex\nbrand: Lex\nlexicon:\n  personal_data.email: [e-mail addy]\n"
    )
    loaded = load_guidelines(path)
    assert loaded.ok, loaded.diagnostics
    assert loaded.guidelines.lexicon == {"personal_data.email": ["e-mail addy"]}


def test_a_malformed_dotted_lexicon_name_is_reported_where_it_is_written(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("format: 1\nid: lex\nbrand: Lex\nlexicon:\n  personal_data..email: [x]\n")
    [finding] = load_guidelines(path).diagnostics
    assert (finding.code, finding.line, finding.column) == ("GDL109", 5, 3)
    assert "lexicon name" in finding.message
    assert "personal_data.email" in finding.hints[0]


def test_guidelines_may_keep_every_kind_of_personal_data_the_scorer_knows_private(tmp_path):
    path = tmp_path / "private.yaml"
    kinds = "email, phone, order_number, account_number, address, card, date_of_birth, password"
    path.write_text(
        f"format: 1\nid: private\nbrand: Private\nprivacy:\n  never_public: [{kinds}]\n"
    )
    loaded = load_guidelines(path)
    assert loaded.ok, loaded.diagnostics
    assert "account_number" in loaded.guidelines.privacy.never_public


def test_never_public_accepts_every_kind_of_personal_data_the_scorer_detects():
    from typing import get_args

    from ruamel.yaml import YAML

    from sandbox.core.scenario.guidelines import PersonalData

    lexicons = Path(__file__).parents[3] / "sandbox" / "core" / "scoring" / "lexicons"
    for language in ("en", "fr"):
        detected = YAML(typ="safe").load(lexicons / f"{language}.yaml")["personal_data"]
        assert set(detected) <= set(get_args(PersonalData)), language


def test_scene_events_are_addressed_as_scene_and_index():
    loaded = parse_scenario_text(VALID)
    assert loaded.scenario.event("pile_on.0").text == "Still no answer?"
    assert loaded.scenario.event("pile_on.7") is None


def test_checking_files_leaves_no_reference_cycles_so_pausing_the_collector_is_safe():
    """Loading pauses the cyclic garbage collector: only reference counting frees its objects."""
    import gc

    from sandbox.core.scenario import validate_paths

    folders = [FIXTURES, SHIPPED_GUIDELINES.parent]
    validate_paths(folders)  # warm caches first: they hold objects for good, on purpose
    gc.collect()
    gc.disable()
    try:
        validate_paths(folders)
        assert not gc.isenabled(), "a nested pause must not switch the collector back on"
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0
    parse_scenario_text(VALID)
    assert gc.isenabled()
