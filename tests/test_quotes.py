"""Quote fidelity on small fixture texts that carry the corpus's extraction artefacts."""

from __future__ import annotations

from kgraph.quotes import NormalisedText, closest_passage, find_quote

# The artefacts of the real extraction, in miniature: no-break and thin spaces,
# ligatures split by a space, a line-end hyphen, a real hyphen broken as "-\n-",
# a footnote marker, typographic quotes, and a quotation interrupted by a page break.
ARTICLE = (
    "The\u00a0\u00a0Kremlin’s infl uence on off ensive revi-\n"
    "sionism grew in the post-\n-Soviet area.¹² Lavrov spoke of “demonizing people who\n"
    "are not liked there”.³⁶ Patrushev said “the West has been waging an information\n"
    "war against Russia for centuries,\n\n"
    "10 М. Соколов, Страна Путина, режим Патрушева, “Левада-Центр” [online], 12 vii 2021.\n"
    "SM 2-2022.indb 151\n\n"
    " slandering it, demonizing its heroes”.\u2009Lukashenk a’s status changed.\n"
)


def test_clean_reading_is_found_despite_artefacts():
    text = NormalisedText.of(ARTICLE)
    for quote in ["The Kremlin's influence on offensive revisionism grew",
                  "in the post-Soviet area.",
                  "“demonizing people who are not liked there”",
                  "Lukashenka’s status changed."]:
        assert find_quote(quote, text), quote


def test_quote_split_by_a_page_break_is_found_in_order():
    text = NormalisedText.of(ARTICLE)
    assert find_quote("the West has been waging an information war against Russia for "
                      "centuries, slandering it, demonizing its heroes", text)
    # the same parts in the wrong order are not a quote of this text
    assert not find_quote("slandering it, demonizing its heroes, the West has been waging "
                          "an information war against Russia for centuries", text)


def test_changed_words_are_not_found():
    text = NormalisedText.of(ARTICLE)
    assert not find_quote("demonizing people who are disliked there", text)
    assert not find_quote("The Kremlin's influence on defensive revisionism", text)
    assert not find_quote("", text)


def test_closest_passage_points_at_the_original_text():
    text = NormalisedText.of(ARTICLE)
    passage = closest_passage("demonizing people who are disliked there", text)
    assert passage.startswith("demonizing people who")


def write_project(mini, quote: str, corpus_file: str = "article.txt"):
    path = mini / "graph" / "statements.ttl"
    text = path.read_text()
    text = text.replace('"demonizing people who are not liked there"@en', f'"{quote}"@en')
    text = text.replace('kg:corpusFile "article.txt"', f'kg:corpusFile "{corpus_file}"')
    path.write_text(text)


def test_check_quotes_command_passes(run, mini, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_text(ARTICLE)
    result = run("--root", mini, "check-quotes", "--corpus", corpus)
    assert (result.exit_code, result.stdout) == (
        0, "1 quotes checked: 1 found, 0 not found\n0 passages checked: 0 found, 0 not found\n")


def test_check_quotes_command_fails_with_closest_passage(run, mini, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_text(ARTICLE)
    write_project(mini, "demonizing people who are disliked there")
    result = run("--root", mini, "check-quotes", "--corpus", corpus)
    assert result.exit_code == 1
    assert result.stdout == (
        "FAIL stmt:lavrov-2021-05-27-ryanair (Lavrov on the Ryanair incident)\n"
        "  document: article.txt\n"
        "  problem:  not found in the cited document\n"
        "  quote:    demonizing people who are disliked there\n"
        "  closest:  demonizing people who are not liked there”.³⁶ Patrushev said “the W\n"
        "\n"
        "1 quotes checked: 0 found, 1 not found\n"
        "0 passages checked: 0 found, 0 not found\n")


def run_with_passage(run, mini, tmp_path, passage: str):
    """check-quotes on the fixture project whose evidence record has ``passage``."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_text(ARTICLE)
    add_passage(mini, passage)
    return run("--root", mini, "check-quotes", "--corpus", corpus)


def add_passage(mini, passage: str) -> None:
    """Give the fixture statement's evidence record a kg:passage."""
    path = mini / "graph" / "statements.ttl"
    text = path.read_text()
    text = text.replace('kg:locator "p. 162, fn. 36" .',
                        f'kg:locator "p. 162, fn. 36" ;\n    kg:passage "{passage}"@en .')
    path.write_text(text)


def test_check_quotes_checks_evidence_passages_and_counts_them_apart(run, mini, tmp_path):
    """A passage is the document's own text at the evidence's locator: it is checked
    against that record's document like a quote, and reported with its own count."""
    result = run_with_passage(run, mini, tmp_path, "Lavrov spoke of “demonizing people who are not liked there”.")
    assert (result.exit_code, result.stdout) == (
        0, "1 quotes checked: 1 found, 0 not found\n1 passages checked: 1 found, 0 not found\n")


def test_check_quotes_fails_on_a_passage_the_document_does_not_print(run, mini, tmp_path):
    result = run_with_passage(run, mini, tmp_path, "Lavrov spoke warmly of the West.")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "FAIL evid:lavrov-2021-05-27-ryanair-1\n"
        "  document: article.txt\n"
        "  problem:  not found in the cited document\n"
        "  passage:  Lavrov spoke warmly of the West.\n")
    assert result.stdout.endswith(
        "1 quotes checked: 1 found, 0 not found\n1 passages checked: 0 found, 1 not found\n")


def test_check_quotes_missing_corpus_file(run, mini, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    result = run("--root", mini, "check-quotes", "--corpus", corpus)
    assert result.exit_code == 1
    assert f"problem:  corpus file not found in {corpus}" in result.stdout
