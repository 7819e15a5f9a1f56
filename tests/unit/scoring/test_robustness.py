"""Whatever a trainee types, the scorer answers with a score, never a traceback.

Replies are scored through `sandbox.core.grading` (the path of the web app and the command
line) on shipped scenario events and on ad-hoc posts: arbitrary text, and text built from the
pieces that break parsers (huge numbers, NUL bytes, right-to-left and CJK scripts, emoji joined
with ZWJ, combining marks, markup, URLs, impossible clock times, French "18 h").
"""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.cli.score import load_guidelines, load_scenario
from sandbox.core.grading import score_event_reply, score_post_reply
from sandbox.core.scoring import EarlierReply

ROOT = Path(__file__).resolve().parents[3]
# (scenario file, event): English and French, public posts, a DM, health, money and timetables
EVENTS = (
    ("sunnyfoods-recall.yaml", "first_post"),
    ("verveline-rougeurs.yaml", "rougeurs"),
    ("tandemy-outage-crisis.yaml", "journalist"),
    ("tandemy-double-charge.yaml", "charged_twice"),
    ("valemont-cancelled-train.yaml", "cancelled"),
    ("verveline-erreur-prix.yaml", "remise"),
)
ACTIONS = ("reply", "dm", "move_to_dm", "escalate")

PIECES = (
    "1" + "0" * 308,  # the largest float, written out
    str(10 ** 400),  # beyond any float
    "£" + "9" * 400, "€ 1e309", "-0.000000000000000000001 %", "1,000,000,000,000.5",
    "99:99", "25:61", "0:00", "24h", "18 h", "à 18 h 30", "avant 99 h", "12pm", "13 pm",
    "batch 22B", "lot 4417", "22B" * 50, "x" * 5000,
    "\x00", "a\x00b", "\x00" * 50, "\ufeff", "\u200b\u200c\u200d", "\uffff", "\U0010ffff",
    "\ud7ff", "\x1b[31m", "\r\n", "\t", "\u2028", "\x85",
    "مرحبا بك، نحن آسفون", "\u202eevil\u202c", "שלום", "申し訳ございません。", "退款 48 小时",
    "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "👍🏽", "e\u0301\u0301\u0301",
    "Z\u0336a\u0337l\u0338g\u0335o",
    "ﬁ", "ǅ", "İ", "ß" * 10, "œuvre", "\u0130stanbul",
    "<script>alert(1)</script>", "<b>", "</", "<" * 300, "&amp;&#0;&#x10FFFF;",
    "https://example.com/" + "a" * 300, "www.x.", "http://", "@maria_k", "#recall", "@@@@",
    "sorry", "désolé", "calm down", "not our fault", "refund within 5 working days",
    "remboursement sous 48 heures", "nothing to worry about", "100% safe", "never",
    "please DM us", "?", "!!", "...", "'", "\u2019", "\"", "(", ")", "[", "]", "\\", "*",
    "re:(", "$1", "%s", "{0}", "None", "null", "NaN", "inf", "-inf", "1e309",
)

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=12).map(
        lambda parts: " ".join(parts)),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
)


@pytest.fixture(scope="module")
def scenarios():
    return {name: load_scenario(ROOT / "scenarios" / name) for name, _event in EVENTS}


@pytest.fixture(scope="module")
def default_guidelines():
    return {language: load_guidelines(ROOT / "scenarios" / "guidelines" / name)
            for language, name in (("en", "default.yaml"), ("fr", "default-fr.yaml"))}


def assert_sound(result, reply: str) -> None:
    """A score a person can read: in range, evidence inside the reply, serialisable."""
    assert 0 <= result.overall <= 100
    assert result.verdict in ("pass", "coach", "fail")
    assert all(0 <= value <= 100 for value in result.dimensions.values())
    for criterion in result.criteria:
        assert 0 <= criterion.score <= 100
        for finding in criterion.findings:
            if finding.span is not None:
                start, end = finding.span
                assert 0 <= start <= end <= len(reply), (criterion.id, finding)
    json.dumps(result.as_json(), ensure_ascii=False)


settings_for_text = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@settings_for_text
@given(reply=texts, which=st.integers(0, len(EVENTS) - 1), action=st.sampled_from(ACTIONS),
       after=st.one_of(st.none(), st.integers(0, 10 ** 7)), earlier=texts)
def test_any_reply_to_a_scenario_event_gets_a_sound_score(scenarios, reply, which, action,
                                                          after, earlier):
    name, event = EVENTS[which]
    scenario, guidelines = scenarios[name]
    result = score_event_reply(scenario=scenario, guidelines=guidelines, event_id=event,
                               reply=reply, after_s=after, action=action,
                               earlier=[EarlierReply(earlier, event), EarlierReply(earlier)])
    assert_sound(result, reply)


@settings_for_text
@given(post=texts, reply=texts, language=st.sampled_from(("en", "fr")))
def test_any_reply_to_any_ad_hoc_post_gets_a_sound_score(default_guidelines, post, reply,
                                                         language):
    result = score_post_reply(post=post, reply=reply, guidelines=default_guidelines[language],
                              language=language)
    assert_sound(result, reply)


LONG_REPLIES = {
    "sentences": "Hi Maria, we're so sorry. Batch 22B is recalled, please DM us. " * 1600,
    "figures": "Refund of £50 within 5 days, not 10 days, by 17:42 or 18 h. " * 1700,
    "digits": "9" * 100_000,
    "nul bytes": "\x00" * 100_000,
    "one word": "sorry" * 20_000,
    "markup": "<p>" * 33_000,
    "mixed scripts": ("Désolé 申し訳 مرحبا 👨\u200d👩\u200d👧 e\u0301 " * 4000)[:100_000],
}


@pytest.mark.parametrize("kind", sorted(LONG_REPLIES))
def test_a_100_kb_reply_is_scored_like_any_other(scenarios, kind):
    reply = LONG_REPLIES[kind]
    assert len(reply) >= 90_000
    # English and French in turn: a pattern that backtracks over a long run of digits or
    # letters would take minutes here
    name, event = EVENTS[sorted(LONG_REPLIES).index(kind) % 2]
    scenario, guidelines = scenarios[name]
    result = score_event_reply(scenario=scenario, guidelines=guidelines, event_id=event,
                               reply=reply, after_s=120,
                               earlier=[EarlierReply(reply[:5000], event)])
    assert_sound(result, reply)


def test_a_huge_number_is_compared_as_text_not_as_a_float(scenarios):
    scenario, guidelines = scenarios["sunnyfoods-recall.yaml"]
    for figure in ("1" + "0" * 308, str(10 ** 400), "£" + "9" * 400):
        reply = f"Hi Maria, sorry. You'll get {figure} within {figure} days for batch 22B."
        result = score_event_reply(scenario=scenario, guidelines=guidelines,
                                   event_id="first_post", reply=reply,
                                   earlier=[EarlierReply(reply.replace("9", "8"), "first_post")])
        assert_sound(result, reply)
        facts = result.criterion("facts")
        assert facts is not None and facts.score < 100  # an invented figure, not a crash
