"""The learned harm check: a reply that mocks or lectures in words no phrase list holds still
fails, with the words that weighed most as evidence and a reason that names the harm; a good
reply with a gloomy word passes; the committed weights are what the training script makes of
the committed sets; and no text makes it raise."""

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import train_harm_model
from sandbox.cli.score import load_guidelines, load_scenario
from sandbox.core.grading import adhoc_attempt, attempt_for_event, score_event_reply
from sandbox.core.scoring import harm, harm_features, harm_model
from sandbox.core.scoring.context import ReplyContext

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def cancelled_train():
    return load_scenario(ROOT / "scenarios" / "valemont-cancelled-train.yaml")


def _grade(scenario_and_guidelines, reply, event="cancelled"):
    scenario, guidelines = scenario_and_guidelines
    return score_event_reply(scenario=scenario, guidelines=guidelines, event_id=event,
                             reply=reply, after_s=180)


def _context(scenario_and_guidelines, reply, event="cancelled"):
    scenario, guidelines = scenario_and_guidelines
    return ReplyContext.of(attempt_for_event(scenario, event=event, text=reply, delay_s=180),
                           guidelines)


SARCASTIC = ("Hi Tom, poor you, twenty extra minutes, how ever will you cope. The 17:42 was "
             "cancelled by a signalling fault at Brambury; your ticket is valid on the 18:12.\n^JM")
# sarcastic too; the kind model reads "you have our ..." as a promise (the kind it names is
# its weakest part), but the reply fails all the same
DEEPEST_SYMPATHY = ("Hi Tom, you have our deepest sympathy for those twenty terrible minutes, "
                    "truly. The 17:42 was cancelled by a signalling fault at Brambury; your "
                    "ticket is valid on the 18:12.\n^JM")
GLOOMY_BUT_GOOD = ("Hi Tom, sorry, a terrible end to your day. The 17:42 was cancelled by a "
                   "signalling fault at Brambury. Your ticket is valid on the 18:12, and you can "
                   "claim Delay Repay.\n^JM")


def _learned(result):
    return [f for c in result.criteria for f in c.findings if f.rule.startswith("harm.learned")]


def test_a_sarcastic_reply_in_words_no_phrase_list_holds_fails_with_the_words_that_weigh_most(
        cancelled_train):
    ctx = _context(cancelled_train, SARCASTIC)
    assert not [name for name in ctx.reply_hits if name.startswith("harm.")]
    result = _grade(cancelled_train, SARCASTIC)
    found = _learned(result)
    assert result.verdict == "fail" and result.overall <= 20
    assert found and found[0].rule in ("harm.learned.sarcasm", "harm.learned.condescension")
    assert all(f.tone == "bad" and f.span is not None for f in found)
    quoted = [SARCASTIC[f.span[0]:f.span[1]] for f in found]
    assert all(quote and quote in SARCASTIC for quote in quoted)
    assert f'"{quoted[0]}"' in found[0].message


def test_mock_sympathy_in_words_no_phrase_list_holds_fails_too(cancelled_train):
    ctx = _context(cancelled_train, DEEPEST_SYMPATHY)
    assert not [name for name in ctx.reply_hits if name.startswith("harm.")]
    result = _grade(cancelled_train, DEEPEST_SYMPATHY)
    assert result.verdict == "fail" and _learned(result)


def test_the_learned_checks_reason_names_the_kind_of_harm_and_what_to_do(cancelled_train):
    finding = _learned(_grade(cancelled_train, SARCASTIC))[0]
    kind = finding.rule.rsplit(".", 1)[1]
    assert finding.message.startswith(f"Reads as {harm._READS_AS[kind]}")
    assert harm._WHY[kind] in finding.message
    assert "a trainer can overrule it" in finding.message


def test_a_good_reply_with_a_word_that_looks_negative_passes(cancelled_train):
    ctx = _context(cancelled_train, GLOOMY_BUT_GOOD)
    assert ("h", "neg") in {(f.table, f.key) for f in harm_features.features(ctx)}  # "terrible"
    result = _grade(cancelled_train, GLOOMY_BUT_GOOD)
    assert result.verdict == "pass" and not _learned(result)


def test_a_rule_that_finds_a_harm_comes_first_and_the_learned_check_adds_nothing(
        cancelled_train):
    reply = ("Hi Tom, as anyone who reads the departure boards would know, the 17:42 was "
             "cancelled by a signalling fault at Brambury. Your ticket is valid on the 18:12.\n^JM")
    result = _grade(cancelled_train, reply)
    rules = [f.rule for c in result.criteria for f in c.findings if f.rule.startswith("harm.")]
    assert rules == ["harm.condescension"]


def test_a_word_negated_just_before_it_does_not_count(cancelled_train):
    ctx = _context(cancelled_train, "Hi Tom, we would never blame you for this.\n^JM")
    words = {f.key for f in harm_features.features(ctx) if f.table == "u"}
    assert "blame" not in words and "tom" not in words  # and the customer's name is "@"


@pytest.mark.parametrize(("language", "reply"), [
    ("en", SARCASTIC),
    ("en", "Wow, GREAT job reading the label!! 🙄 You'll survive, I'm sure... \"urgent\" lol"),
    ("fr", "Bonjour, qu'il attende l'équipe jusqu'à 18 h, c'est simple !! Merci pour ta patience"),
])
def test_the_quick_sum_is_the_full_sum_when_no_word_is_negated_or_stated(language, reply):
    guidelines = load_guidelines(ROOT / "scenarios" / "guidelines" / (
        "default-fr.yaml" if language == "fr" else "default.yaml"))
    ctx = ReplyContext.of(adhoc_attempt(post="My order is late again and nobody answers",
                                        reply=reply, language=language), guidelines)
    model = harm_model.shipped()
    assert math.isclose(model.quick_logit(ctx), model.logit(harm_features.features(ctx)),
                        abs_tol=1e-9)


def test_the_committed_weights_are_what_the_training_script_makes_of_the_committed_sets():
    committed = train_harm_model.WEIGHTS.read_text(encoding="utf-8")
    assert committed == train_harm_model.render(
        train_harm_model.train(train_harm_model.examples())), (
        "retrain: .venv/bin/python benchmarks/train_harm_model.py --write")


def test_the_weights_stay_small_and_name_only_the_kinds_a_reader_can_tell_from_words():
    model = harm_model.shipped()
    assert sum(len(table) for table in model.weights.values()) <= train_harm_model.KEEP
    kinds = {kind for table in model.kind_weights.values() for weights in table.values()
             for kind in weights}
    assert kinds <= set(harm_model.KINDS) and set(model.kind_bias) == set(harm_model.KINDS)
    assert set(harm_model.KINDS) <= set(harm._HOME)


_ANY_MODEL = None


def _flag_everything():
    global _ANY_MODEL
    if _ANY_MODEL is None:
        model = harm_model.shipped()
        _ANY_MODEL = harm_model.HarmModel(model.bias, model.weights, -math.inf,
                                          model.kind_bias, model.kind_weights)
    return _ANY_MODEL


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply=st.one_of(st.text(max_size=600), st.lists(st.sampled_from(
    ("you", "vous", "tu", "n'", "qu'il", "lol", "🙄", "!!", "??", "...", "\"so\"", "TERRIBLE",
     "great", "never", "22B", "10" * 200, "\x00", "\u202e", "é\u0301", "aujourd'hui", "\n- Sam",
     " ", "Tom", "Brambury")), max_size=60).map(" ".join)))
def test_the_learned_check_never_raises_on_any_text_even_when_it_flags_everything(reply):
    scenario, guidelines = load_scenario(ROOT / "scenarios" / "valemont-cancelled-train.yaml")
    ctx = ReplyContext.of(attempt_for_event(scenario, event="cancelled", text=reply,
                                            delay_s=60), guidelines)
    model = _flag_everything()
    harm_features.features(ctx)
    model.quick_logit(ctx)
    for findings in harm.learned(ctx, model).values():
        for finding in findings:
            start, end = finding.span
            assert 0 <= start < end <= len(reply)
