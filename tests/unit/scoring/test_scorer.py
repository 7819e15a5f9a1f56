import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.core.scoring import SCORER_VERSION, CriterionScore, score_reply
from sandbox.core.scoring.results import CRITERIA
from sandbox.core.scoring.scorer import aggregate
from tests.unit.scoring.conftest import GOOD_RECALL_REPLY


def all_spans(result):
    return [f.span for c in result.criteria for f in c.findings if f.span is not None]


def test_the_json_has_exactly_the_contract_shape(grade_recall):
    data = json.loads(json.dumps(grade_recall(GOOD_RECALL_REPLY).as_json()))
    # DESIGN.md section 6, extended (never renamed): "explanation", "role" and "tone" are new
    assert list(data) == ["scorer", "overall", "verdict", "dimensions", "criteria",
                          "explanation"]
    assert data["scorer"] == SCORER_VERSION == "2.5.1"
    assert set(data["dimensions"]) == {"agility", "coherence", "efficiency"}
    assert data["explanation"].startswith("Mean of agility")
    for criterion in data["criteria"]:
        assert list(criterion) == ["id", "dimension", "score", "weight", "critical", "role",
                                   "findings"]
        assert CRITERIA[criterion["id"]] == criterion["dimension"]
        assert 0 <= criterion["score"] <= 100 and isinstance(criterion["score"], int)
        for finding in criterion["findings"]:
            assert list(finding) == ["message", "rule", "span", "tone"]
            assert finding["span"] is None or len(finding["span"]) == 2
            assert finding["tone"] in ("good", "bad", "note")


def test_a_model_answer_passes_with_every_criterion_explained(grade_recall):
    result = grade_recall(GOOD_RECALL_REPLY)
    assert result.verdict == "pass" and result.overall >= 85
    assert all(c.findings for c in result.criteria)
    assert len(result.criteria) == 14  # every criterion but consistency applies here


def test_dimensions_are_weighted_means_of_what_the_reply_delivers(sunnyfoods):
    criteria = [CriterionScore("timeliness", 100), CriterionScore("clarity", 40),
                CriterionScore("forbidden", 100), CriterionScore("key_messages", 50),
                CriterionScore("empathy", 0)]
    summary = aggregate(criteria, sunnyfoods)
    # a clean forbidden check earns nothing: coherence is key_messages alone
    assert summary.dimensions == {"agility": 80, "coherence": 50, "efficiency": 0}
    assert summary.overall == 43 and summary.verdict == "fail"
    assert summary.explanation == "Mean of agility 80, coherence 50, efficiency 0 = 43."


def test_a_broken_hygiene_rule_subtracts_from_its_dimension(sunnyfoods):
    clean = aggregate([CriterionScore("key_messages", 100), CriterionScore("facts", 100)],
                      sunnyfoods)
    invented = aggregate([CriterionScore("key_messages", 100), CriterionScore("facts", 50)],
                         sunnyfoods)
    assert clean.overall == 100 and invented.overall == 80
    assert "hygiene penalties (facts -20)" in invented.explanation


def test_a_critical_failure_caps_the_overall_at_20_and_keeps_the_order(sunnyfoods):
    criteria = [CriterionScore("timeliness", 100), CriterionScore("forbidden", 0, critical=True),
                CriterionScore("key_messages", 100), CriterionScore("empathy", 100)]
    worse = [CriterionScore("timeliness", 40), CriterionScore("forbidden", 0, critical=True),
             CriterionScore("key_messages", 100), CriterionScore("empathy", 100)]
    summary = aggregate(criteria, sunnyfoods)
    assert 15 <= summary.overall <= 20 and summary.verdict == "fail"
    assert summary.explanation.endswith(
        f"capped at 20 because a critical rule was broken (forbidden): "
        f"{summary.explanation.split(' = ')[1].split(';')[0]} counts as {summary.overall}.")
    assert aggregate(worse, sunnyfoods).overall < 20


def test_the_events_pass_score_overrides_the_guidelines_threshold(grade_recall, recall_expect):
    reply = ("Hi Maria, we're so sorry. Batch 22B is recalled, your safety is our priority. "
             "DM us.\n- Sam")
    overall = grade_recall(reply).overall
    strict = recall_expect.model_copy(update={"pass_score": overall + 1})
    lenient = recall_expect.model_copy(update={"pass_score": overall})
    assert grade_recall(reply, expect=strict).verdict != "pass"
    assert grade_recall(reply, expect=lenient).verdict == "pass"


def test_criteria_that_do_not_apply_are_left_out_not_scored_100(default_guidelines):
    result = score_reply(reply="Hi Tom, sorry.", post="Charged twice!",
                         guidelines=default_guidelines)
    ids = {c.id for c in result.criteria}
    assert not ids & {"timeliness", "key_messages", "consistency", "transparency", "action"}


def test_scores_are_deterministic(grade_recall):
    first = grade_recall(GOOD_RECALL_REPLY).as_json()
    assert all(grade_recall(GOOD_RECALL_REPLY).as_json() == first for _ in range(3))


def test_an_empty_reply_scores_zero_on_everything_it_should_have_delivered(grade_recall):
    result = grade_recall("   ")
    delivered = [c for c in result.criteria if c.role != "hygiene" and c.id != "action"]
    assert delivered and all(c.score == 0 for c in delivered)
    assert result.verdict == "fail"


def test_a_100_kb_reply_is_scored_with_valid_spans(grade_recall):
    reply = ("Hi Maria, so sorry about batch 22B. " * 3000)[:100_000]
    result = grade_recall(reply)
    assert result.criterion("length").critical
    assert all(0 <= s <= e <= len(reply) for s, e in all_spans(result))


def test_emoji_only_mixed_language_and_html_replies_are_scored(grade_recall, lumiere):
    for reply in ("😢🙏🙏", "Hi Maria, désolés, batch 22B est rappelé, sorry!",
                  "<script>alert('x')</script><b>Hi Maria</b> &amp; sorry",
                  "\u200b\u0301\ufe0f", "Cafe\u0301 ! 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"):
        result = grade_recall(reply)
        assert 0 <= result.overall <= 100
        assert all(0 <= s <= e <= len(reply) for s, e in all_spans(result))
        score_reply(reply=reply, post="Colis ?", guidelines=lumiere)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_text_is_scored_with_spans_inside_the_reply(grade_recall, reply):
    result = grade_recall(reply)
    assert 0 <= result.overall <= 100
    assert all(0 <= s <= e <= len(reply) for s, e in all_spans(result))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aàeéèêiïoôuùç' -!?.,:;«»’\u0301\n0123456789€%")) |
               st.characters(), max_size=300))
def test_any_french_text_is_scored_with_spans_inside_the_reply(reply):
    from benchmarks.evaluation import load_guidelines_file
    from tests.unit.scoring.conftest import DATA

    guidelines = _french_guidelines(load_guidelines_file, DATA)
    result = score_reply(reply=reply, post="Colis en retard, déçu.", guidelines=guidelines,
                         topic="eco", earlier_replies=["Livraison sous 3 jours ouvrés."])
    assert 0 <= result.overall <= 100
    assert all(0 <= s <= e <= len(reply) for s, e in all_spans(result))


_CACHE: dict = {}


def _french_guidelines(load, data):
    if "fr" not in _CACHE:
        _CACHE["fr"] = load(data / "guidelines" / "lumiere.yaml")
    return _CACHE["fr"]


def test_a_reply_that_delivers_nothing_still_names_the_insult_it_holds(sunnyfoods):
    score = score_reply(reply="Calm down, it's your own fault. Read the terms, idiot.",
                        post="Order still not here, day 5 :(", guidelines=sunnyfoods)
    politeness = score.criterion("politeness")
    assert score.verdict == "fail" and politeness.critical
    assert any('"idiot" insults the customer' in f.message for f in politeness.findings)
    assert not any("Pleasantries only" in f.message for f in politeness.findings)
