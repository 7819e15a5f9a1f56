from sandbox.core.phrases import contains, find_all, find_phrase, find_regex, normalise


def test_matching_ignores_case_and_accents_and_keeps_original_offsets():
    text = "Nous sommes DÉSOLÉS pour l’attente"
    span = find_phrase(text, "désolé", "fr")
    assert span is not None and text[span[0]:span[1]] == "DÉSOLÉS"
    assert find_phrase(text, "l'attente", "fr") is not None


def test_a_phrase_matches_whole_words_only():
    assert find_phrase("We recalled it", "call") is None
    assert find_phrase("Please call us", "call") == (7, 11)


def test_a_trailing_star_matches_any_word_with_that_prefix():
    text = "Our pouches are recyclable."
    assert text[slice(*find_phrase(text, "recycl*"))] == "recyclable"


def test_simple_english_inflections_match():
    for written in ("apologised", "apologizing", "Apologize", "apologises"):
        assert contains(f"We {written} to her", "apologise"), written
    assert contains("Two refunds were sent", "refund")
    assert contains("We stopped it", "stop")
    assert contains("Our apologies", "apology")


def test_simple_french_inflections_match():
    assert contains("Nous sommes désolées", "désolé", "fr")
    assert contains("des emballages recyclables", "emballage recyclable", "fr")
    assert contains("les journaux", "journal", "fr")


def test_alternatives_return_the_earliest_match():
    text = "We apologise, so sorry"
    assert find_phrase(text, ["sorry", "apologise"]) == (3, 12)


def test_words_of_a_phrase_may_be_separated_by_any_whitespace_or_a_hyphen():
    assert contains("Batch\n 22B is recalled", "batch 22B")
    assert contains("a follow up", "follow-up")


def test_find_all_lists_every_occurrence_in_order():
    assert find_all("sorry, so sorry", "sorry") == [(0, 5), (10, 15)]


def test_decomposed_accents_keep_spans_inside_the_text():
    text = "Cafe\u0301 ferme\u0301"
    span = find_phrase(text, "fermé", "fr")
    assert span == (6, 12)


def test_a_regex_rule_matches_case_insensitively_on_folded_text():
    assert find_regex("It's NOT our Fault", "not our (fault|problem)") == (5, 18)
    assert find_regex("nothing here", "not our (fault|problem)") is None


def test_normalise_folds_typography():
    assert normalise("L’ÉTÉ – «chaud»") == "l'ete - \"chaud\""
