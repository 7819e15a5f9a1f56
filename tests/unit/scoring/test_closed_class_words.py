"""Pronouns, negations and other closed-class words match exactly: no plural, no -ed."""

import pytest

from benchmarks.evaluation import load_guidelines_file
from sandbox.core.phrases import contains, normalise
from sandbox.core.scoring import score_reply
from sandbox.core.scoring.lexicon import get_lexicon
from tests.unit.scoring.conftest import SHIPPED

NEXT_MONTH_REPLY = ("Bonjour Alerte Emballages, merci pour votre question : la mention sera "
                    "retirée le mois prochain.")


def test_an_exact_phrase_does_not_inflect_but_an_ordinary_one_does():
    assert contains("le mois prochain", "moi", "fr")
    assert not contains("le mois prochain", "moi", "fr", exact=True)
    assert contains("Merci à moi", "moi", "fr", exact=True)


def test_the_french_month_is_not_the_brand_speaking_as_i():
    verveline = load_guidelines_file(SHIPPED / "verveline.yaml")
    result = score_reply(reply=NEXT_MONTH_REPLY, post="Pourquoi cette mention ?",
                         guidelines=verveline, customer_name="Alerte Emballages")
    voice = result.criterion("voice")
    assert not any(f.rule == "guidelines.voice.person" for f in voice.findings)
    focus = result.criterion("customer_focus")
    assert any('"we/I" 0x' in f.message for f in focus.findings)


@pytest.mark.parametrize(("language", "name", "text"), [
    ("fr", "we_pronouns", "le mois prochain"),
    ("fr", "singular_pronouns", "dans un mois"),
    ("fr", "you_pronouns", "des tons pastel"),
    ("fr", "negation", "votre colis est passé ce matin"),
    ("en", "negation", "Noted, we'll refund you today."),
    ("en", "we_pronouns", "the mining company"),
    ("en", "you_pronouns", "yous guys"),
])
def test_closed_class_lists_ignore_inflected_look_alikes(language, name, text):
    lexicon = get_lexicon(language)
    assert lexicon.pattern(name).search(normalise(text)) is None
    assert name not in lexicon.scan(normalise(text))


def test_closed_class_lists_still_match_the_words_themselves():
    fr, en = get_lexicon("fr"), get_lexicon("en")
    assert fr.scan(normalise("Merci à moi et à mes collègues"))["we_pronouns"]
    # negations are read as a pattern around a phrase (`lexicon.PATTERN_ONLY`), not scanned
    assert en.pattern("negation").search(normalise("We can't refund that"))
    assert "negation" not in en.scan(normalise("We can't refund that"))


def test_a_refund_noted_is_still_a_promise_not_a_refusal(default_guidelines):
    reply = "Hi Tom, noted: we'll refund the duplicate charge. Please DM us."
    result = score_reply(reply=reply, post="Charged twice", guidelines=default_guidelines,
                         facts=["A billing fault on 3 March took some payments twice."])
    facts = result.criterion("facts")
    assert any("no approved fact" in f.message for f in facts.findings)


def test_being_pleased_is_not_saying_please(default_guidelines):
    result = score_reply(reply="Hi Tom, we're pleased you got in touch.", post="Charged twice",
                         guidelines=default_guidelines)
    assert not any(f.rule == "lexicon.please" for f in result.criterion("politeness").findings)
