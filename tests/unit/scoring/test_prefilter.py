"""The quick tests that let the scorer skip a slow regex never skip a text it would match."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.core.phrases import fold, regex_pattern
from sandbox.core.scoring import opposites, protocol
from sandbox.core.scoring.lexicon import get_lexicon
from sandbox.core.scoring.prefilter import holds_all, might_match, needle_sets, needles
from sandbox.core.scoring.rules import Phrases

SIDES = opposites.REPLY_SIDES
WORDS = ["on by default", "reactivee par defaut", "always", "never", "is still running",
         "will run", "cancelled", "carries on", "se poursuit", "paused", "everywhere",
         "n'importe quel", "not yet", "pas dans toutes", "a single supplier", "trois sites",
         "we're keeping", "reste justifiee", "withdrawn", "abandonne", "stand", "understand"]


def test_the_needles_of_a_regex_are_strings_every_match_holds():
    assert needles([re.compile(r"\bcancel\w*|\bannul\w*")]) == ("annul", "cancel")
    assert needles([re.compile(r"\b(?:is|are)(?: \w+)? running\b")]) == (" running",)
    assert needles([re.compile(r"(?i:\bsorry\b)")]) is None  # case-blind: no needle
    assert needles([re.compile(r"\d+")]) is None  # nothing literal to look for
    assert might_match(None, "anything") and not might_match(("x",), "abc")


def test_a_match_holds_a_needle_of_each_set():
    sets = needle_sets(re.compile(r"(?<!\w)(?:will|'ll) (?:help|call) (?:you|your)"))
    assert sets == (("call", "help"), (" you",), ("'ll", "will"), (" ",))
    assert holds_all(sets, "we'll call you") and not holds_all(sets, "we will phone you")
    assert needle_sets(re.compile(r"(?i:sorry)")) is None and holds_all(None, "anything")


EVERYWHERE_WORDS = ["will", "'ll", "we", "is", "are", "'s", "not", "help", "call", "you",
                    "your", "be", "fine", "ok", "safe", "% off", "20", "h", "% de remise",
                    "survive", "block", "report", "recalled", "explique", "tres", "/s", "🙃"]


@settings(max_examples=400, deadline=None)
@given(language=st.sampled_from(["en", "fr"]), text=st.lists(
    st.sampled_from(EVERYWHERE_WORDS) | st.text(max_size=4), max_size=10).map(" ".join))
def test_an_entry_looked_for_everywhere_is_searched_in_every_text_it_matches(language, text):
    for _name, pattern, sets in get_lexicon(language)._index[1]:
        if pattern.search(text):
            assert holds_all(sets, text), pattern.pattern


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=8).map(" ".join))
def test_a_text_an_opposite_matches_always_holds_a_needle(text):
    if any(side.search(text) for side in SIDES):
        assert might_match(opposites.SIDE_NEEDLES, text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 -().+#@abcrueRoadStreet,ending in", max_size=40))
def test_personal_data_is_looked_for_in_every_text_that_holds_it(text):
    for category, pattern in protocol._VALUES.items():
        if pattern.search(text):
            assert protocol._HELD[category].search(text), category


DATA_WORDS = ["ending in", "ENDING WITH", "last 4 digits of", "Last four", "se termine par",
              "finissant par", "terminant par", "order", "Order number", "commande", "n°",
              "no.", "ref.", "Reference", "référence", "#", "# ", "1234", "12345", "4111-1111",
              "1111 1111 1111", "4111111111111", "4111 1111 1111 1", ":"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DATA_WORDS) | st.text(max_size=6), max_size=8).map(" ".join))
def test_card_and_order_numbers_are_looked_for_in_every_text_that_holds_one(text):
    for category in ("card", "order_number"):
        if protocol._VALUES[category].search(text):
            assert protocol._may_hold(category, text), category


TRAINER_REGEXES = ["not our (fault|problem)", "(probably|likely) caused by", r"100 ?% natural",
                   "ref(und)?s? (are|is) (not|never) possible", "(?-i:OK) then", "oka?y"]
TEXTS = ["It is NOT our Fault, sorry.", "not our problem", "most likely caused by heat",
         "100% natural and refunds are not possible", "OK then", "ok then", "okay.",
         "probably cauſed by", "not our \u212aey", "rien à voir"]


@pytest.mark.parametrize("regex", TRAINER_REGEXES)
def test_a_trainers_case_blind_regex_is_found_wherever_it_was_before(regex):
    phrases = Phrases.of([regex_pattern(regex)])
    for text in TEXTS:
        folded = fold(text)
        match = regex_pattern(regex).search(folded.text)
        assert phrases.earliest(folded) == (folded.span(*match.span()) if match else None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_words_are_read_the_same_in_an_ascii_text_by_the_quicker_patterns(text):
    from sandbox.core.scoring import agility, context, lexicon, scan, substance

    for ascii_pattern, pattern in ((lexicon._ASCII_WORD, lexicon._WORD),
                                   (scan._ASCII_WORD_KEY, scan._WORD_KEY),
                                   (context._ASCII_WORD, context._WORD),
                                   (substance._ASCII_WORD, substance._WORD),
                                   (substance._ASCII_LETTERS, substance._LETTERS_ONLY),
                                   (agility._ASCII_PLAIN_WORD, agility._PLAIN_WORD)):
        assert ascii_pattern.findall(text) == pattern.findall(text)
