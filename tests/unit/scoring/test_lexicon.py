import re
import subprocess
import sys

import pytest

from sandbox.core.phrases import normalise
from sandbox.core.scenario import Guidelines
from sandbox.core.scoring import score_reply
from sandbox.core.scoring.lexicon import get_lexicon, scanned
from sandbox.core.scoring.scan import _entry_key


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


SHARED_FIRST_WORDS = [
    "Nous sommes désolés, nous nous excusons : nous-mêmes nous vous avons écrit.",
    "We are so sorry, we're sorry we are, we-are-sorry, we  are   looking into it.",
    "Our customers' service, your order, you you your, l'équipe qu'il aujourd'hui nous",
    # a phrase and a longer one that starts with it: the longer one is tried first
    "We understand your frustration, good luck with that: it must be worrying.",
    "Nous comprenons votre frustration ; notre service client, adresse postale, super nouvelle.",
    # a word is tried only against the phrases whose first word matches all of it and whose
    # second word starts like the next word: punctuation, apostrophes and line ends around them
    "Don't worry, we can't promise: it's not our fault!! We're on it -- e-mail us, n° 12.",
    "we\nare sorry,we are\tsorry (we are sorry) we-are-sorry. qu'il l'a dit ; c'est-à-dire",
    "sorry sorry. sorry! apologies, apologise apologize sorr",
    # a phrase of one word may end before an apostrophe where the same word of a longer
    # phrase ends after it: "understands" and "understands' your frustration"
    "we understands' your frustration, we understands' your concern, sorrys' we do",
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("text", SHARED_FIRST_WORDS)
def test_phrases_sharing_first_words_match_as_the_plain_list_does(language, text):
    # the scan writes a shared first word once for consecutive phrases (`_factored`); every
    # list must still find what its plain alternation of phrases finds at each word
    lexicon, folded = get_lexicon(language), normalise(text)
    found = lexicon.scan(folded)
    for name in lexicon.lists:
        if not scanned(name):
            continue  # word sets, and lists only read as patterns
        pattern = lexicon.pattern(name)
        if pattern is None or any(_entry_key(e) is None for e in lexicon.lists[name]):
            continue  # regex entries and symbols are looked for on their own
        expected: list[tuple[int, int]] = []
        for word in re.finditer(r"(?<!\w)\w", folded):
            match = pattern.match(folded, word.start())
            if match and match.end() > match.start() and \
                    (not expected or match.start() >= expected[-1][1]):
                expected.append(match.span())
        assert found.get(name, []) == expected, name


def test_pattern_only_lists_are_read_as_patterns_only():
    """`Lexicon.scan` skips the lists in `PATTERN_ONLY`: no criterion may ask a scan's table
    for one (it would always find nothing), and the politeness strategies read at sentence
    starts are among them."""
    import re
    from pathlib import Path

    from sandbox.core.scoring import lexicon, politeness

    assert {politeness._list_name(s) for s in politeness.AT_START} <= lexicon.PATTERN_ONLY
    assert not lexicon.scanned("denied.recall") and lexicon.scanned("promise")
    source = "\n".join(p.read_text(encoding="utf-8") for p in
                       Path(lexicon.__file__).parent.glob("*.py"))
    read_from_scans = set(re.findall(
        r"(?:hits|reply_hits\.get|scan\([^)]*\)\.get|table\.get)\(\s*f?\"([\w.{}]+)\"", source))
    for name in read_from_scans:
        assert lexicon.scanned(name.replace("{", "").replace("}", "")), name
    scanned = lexicon.get_lexicon("en").scan("we can't promise it is not safe, so you must")
    assert not set(scanned) & lexicon.PATTERN_ONLY


def test_a_text_of_many_scripts_builds_a_few_regexes_not_one_per_character():
    lexicon = get_lexicon("en")
    others = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 3000))  # CJK ideographs
    lexicon.scan(" ".join(f"we {character} sorry" for character in others))
    index, _everywhere = lexicon._index
    assert len(index["we"]._alternatives) < 20


def test_the_words_a_lexicon_remembers_are_bounded(monkeypatch):
    from sandbox.core.scoring import scan

    monkeypatch.setattr(scan, "_MOST_WORDS", 100)
    lexicon = get_lexicon("en")
    lexicon.scan(" ".join(f"sorxyz{n} we" for n in range(500)))  # 500 words keyed "sor"
    index, _everywhere = lexicon._index
    remembered = index["sor"]._firsts  # one memory for every key: a word has one key
    assert remembered is index["we"]._firsts and 0 < len(remembered) <= 100


def test_a_word_is_read_with_the_first_letter_after_the_space_or_hyphen_that_follows_it():
    from sandbox.core.scoring.scan import _WORD_KEY

    found = {m.group(1): m.group(2) for m in _WORD_KEY.finditer("we -- are.sorry, so\tmuch")}
    # "sorry" is followed by a comma: no phrase of two words can go on from it
    assert found == {"we": "a", "are": None, "sorry": None, "so": "m", "much": None}


def test_a_very_long_word_is_matched_but_not_remembered():
    lexicon = get_lexicon("en")
    pasted = "sorr" + "y" * 200
    lexicon.scan(f"{pasted} we are sorry")
    index, _everywhere = lexicon._index
    assert pasted not in index["sor"]._firsts and "sorry" in index["sor"]._firsts
