"""Compiled rule sets are cached per (guidelines, expect, topic, language, facts): reusing one
must never change a score."""

import json

from benchmarks.evaluation import evaluate
from sandbox.core.scoring import score_reply
from sandbox.core.scoring.rules import clear_rules_cache, rules_for
from tests.unit.scoring.conftest import DATA, RECALL_FACTS


def _scores(outcomes):
    return json.dumps([[o.better.as_json(), o.worse.as_json()] for o in outcomes],
                      sort_keys=True)


def test_cached_and_freshly_compiled_rules_give_identical_results_on_the_eval_set(
        monkeypatch):
    cached = _scores(evaluate(DATA))
    import sandbox.core.scoring.context as context

    def fresh(*args):
        clear_rules_cache()
        return rules_for(*args)

    monkeypatch.setattr(context, "rules_for", fresh)
    assert _scores(evaluate(DATA)) == cached


def test_the_same_guidelines_and_expectations_reuse_one_compiled_rule_set(sunnyfoods,
                                                                         recall_expect):
    first = rules_for(sunnyfoods, recall_expect, "health_safety", "en", RECALL_FACTS)
    again = rules_for(sunnyfoods, recall_expect, "health_safety", "en", RECALL_FACTS)
    other_topic = rules_for(sunnyfoods, recall_expect, "delivery", "en", RECALL_FACTS)
    assert first is again
    assert other_topic is not first


def test_different_expectations_are_never_served_anothers_rules(sunnyfoods):
    from sandbox.core.scenario.models import Expect

    reply = "Hi Maria, so sorry. Batch 22B is recalled.\n- Sam"
    for word in ("recalled", "refund"):
        expect = Expect.model_validate({"must_mention": [word]})
        result = score_reply(reply=reply, post="Is 22B recalled?", guidelines=sunnyfoods,
                             expect=expect)
        found = result.criterion("key_messages").score == 100
        assert found == (word in reply)
