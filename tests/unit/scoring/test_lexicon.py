import subprocess
import sys

from sandbox.core.scenario import Guidelines
from sandbox.core.scoring import score_reply
from sandbox.core.scoring.lexicon import get_lexicon


def test_importing_the_scorer_loads_no_lexicon_and_no_nlp_library():
    code = ("import sys, sandbox.core.scoring as s\n"
            "from sandbox.core.scoring.lexicon import _raw_lexicon\n"
            "assert _raw_lexicon.cache_info().currsize == 0\n"
            "assert not {'vaderSentiment', 'textstat', 'pyphen'} & set(sys.modules)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_both_languages_have_the_same_lists():
    english, french = get_lexicon("en"), get_lexicon("fr")
    # English moods come from VADER; French ones from word lists only French has.
    assert set(english.lists) == set(french.lists) - {"negative_words", "positive_words"}
    assert all(english.lists[name] for name in english.lists)


def test_an_unknown_language_falls_back_to_english():
    assert get_lexicon("de").language == "en"


def test_guidelines_can_extend_a_lexicon(sunnyfoods):
    extended = Guidelines.model_validate({**sunnyfoods.model_dump(by_alias=True),
                                          "lexicon": {"empathy": ["gutted for you"]}})
    reply = "Hi Maria, gutted for you. Please DM us the batch code so we can help today.\n- Sam"
    post = "My daughter was sick after your granola, furious."
    plain = score_reply(reply=reply, post=post, guidelines=sunnyfoods)
    richer = score_reply(reply=reply, post=post, guidelines=extended)
    assert richer.criterion("empathy").score > plain.criterion("empathy").score
