import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.core.scoring import SCORER_VERSION, CriterionScore, Scorer, score_reply
from sandbox.core.scoring.results import CRITERIA
from sandbox.core.scoring.scorer import aggregate
from tests.unit.scoring.conftest import GOOD_RECALL_REPLY, RECALL_POST


def all_spans(result):
    return [f.span for c in result.criteria for f in c.findings if f.span is not None]


def test_the_json_has_exactly_the_contract_shape(grade_recall):
    data = json.loads(json.dumps(grade_recall(GOOD_RECALL_REPLY).as_json()))
    assert list(data) == ["scorer", "overall", "verdict", "dimensions", "criteria"]
    assert data["scorer"] == SCORER_VERSION == "1.1.0"
    assert set(data["dimensions"]) == {"agility", "coherence", "efficiency"}
    for criterion in data["criteria"]:
        assert list(criterion) == ["id", "dimension", "score", "weight", "critical", "findings"]
        assert CRITERIA[criterion["id"]] == criterion["dimension"]
        assert 0 <= criterion["score"] <= 100 and isinstance(criterion["score"], int)
        for finding in criterion["findings"]:
            assert list(finding) == ["message", "rule", "span"]
            assert finding["span"] is None or len(finding["span"]) == 2


def test_a_model_answer_passes_with_every_criterion_explained(grade_recall):
    result = grade_recall(GOOD_RECALL_REPLY)
    assert result.verdict == "pass" and result.overall >= 85
    assert all(c.findings for c in result.criteria)
    assert len(result.criteria) == 14  # every criterion but consistency applies here


def test_dimensions_are_weighted_means_and_the_overall_their_mean(sunnyfoods):
    criteria = [CriterionScore("timeliness", 100), CriterionScore("clarity", 40),
                CriterionScore("forbidden", 100), CriterionScore("key_messages", 50),
                CriterionScore("empathy", 0)]
    overall, verdict, dimensions = aggregate(criteria, sunnyfoods)
    assert dimensions == {"agility": 80, "coherence": 64, "efficiency": 0}
    assert overall == 48 and verdict == "fail"


def test_a_critical_failure_caps_the_overall_at_20(sunnyfoods):
    criteria = [CriterionScore("timeliness", 100), CriterionScore("forbidden", 0, critical=True),
                CriterionScore("empathy", 100)]
    overall, verdict, _ = aggregate(criteria, sunnyfoods)
    assert overall == 20 and verdict == "fail"


def test_the_events_pass_score_overrides_the_guidelines_threshold(grade_recall, recall_expect):
    reply = "Hi Maria, batch 22B is recalled. DM us.\n- Sam"
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


def test_an_empty_reply_scores_zero_on_every_text_criterion(grade_recall):
    result = grade_recall("   ")
    text = [c for c in result.criteria if c.id not in ("timeliness", "action")]
    assert text and all(c.score == 0 for c in text)
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


def test_the_scorer_class_binds_guidelines_and_facts(sunnyfoods, recall_expect):
    scorer = Scorer(sunnyfoods, facts=["Batch 22B of honey granola is recalled."])
    result = scorer.score(reply=GOOD_RECALL_REPLY, post=RECALL_POST, expect=recall_expect,
                          topic="health_safety", customer_name="Maria Kowalski")
    assert result.criterion("facts").score == 100


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aàeéèêiïoôuùç' -!?.,:;«»’\u0301\n0123456789€%")) |
               st.characters(), max_size=300))
def test_any_french_text_is_scored_with_spans_inside_the_reply(reply):
    from sandbox.core.scoring.evaluation import load_guidelines_file
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
