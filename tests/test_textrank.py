"""The extractive summariser behind automatic section summaries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studykit.handouts import textrank

ESSAY = (
    "Collectivization pooled land, tools and labour into large collective farms. "
    "The weather that spring was unusually mild. "
    "Collective farms removed the incentives of individual farmers, and output fell. "
    "When output fell, the collective farms still delivered grain quotas to the state. "
    "A poem about rivers was popular at the time."
)


def test_sentences_split_at_ends_not_at_abbreviations() -> None:
    text = "Dr. Sen wrote in c. 1959 about famine. It was read widely! Was it right? Yes."
    assert textrank.sentences(text) == [
        "Dr. Sen wrote in c. 1959 about famine.",
        "It was read widely!",
        "Was it right?",
        "Yes.",
    ], textrank.sentences(text)


def test_sentences_split_chinese_full_stops() -> None:
    assert textrank.sentences("大跃进开始了。人民公社成立！") == [
        "大跃进开始了。",
        "人民公社成立！",
    ]


def test_the_central_sentences_win_and_keep_their_order() -> None:
    picked = textrank.summarize(ESSAY, 2)
    assert picked == [
        "Collective farms removed the incentives of individual farmers, and output fell.",
        "When output fell, the collective farms still delivered grain quotas to the state.",
    ], picked


def test_off_topic_sentences_rank_lowest() -> None:
    scores = textrank.rank(textrank.sentences(ESSAY))
    assert min(scores) in (scores[1], scores[4]), scores
    assert max(scores) in (scores[2], scores[3]), scores


def test_short_texts_come_back_whole() -> None:
    assert textrank.summarize("Only one sentence here.", 3) == ["Only one sentence here."]
    assert textrank.summarize("", 3) == [], "nothing to summarise"
    assert textrank.summarize(ESSAY, 0) == [], "a zero budget"


def test_stopwords_do_not_link_sentences() -> None:
    assert textrank.words("The farms of the state") == ["farms", "state"]
    assert textrank.similarity(["the", "of"], ["grain", "quota"]) == 0.0


@given(st.text(max_size=400), st.integers(min_value=1, max_value=5))
def test_any_text_gives_at_most_the_budget_of_its_own_sentences(text: str, limit: int) -> None:
    picked = textrank.summarize(text, limit)
    assert len(picked) <= limit, picked
    whole = textrank.sentences(text)
    assert all(p in whole for p in picked), (picked, whole)
    assert picked == [s for s in whole if s in picked], "reading order kept"


def test_long_sentences_are_ranked_within_a_word_budget() -> None:
    # A fourth audit: 300 sentences of 400 words (a 1 MB section) took 3.3 s, three times 150
    # of them: comparing two sentences costs their length, which the sentence cap left free.
    import random

    from studykit.handouts import textrank

    rng = random.Random(5)
    vocabulary = [f"word{n}" for n in range(3_000)]
    text = "\n".join(
        " ".join(rng.choice(vocabulary) for _ in range(400)).capitalize() + "." for _ in range(300)
    )
    items = textrank.sentences(text)
    assert len(items) == 300
    chosen = textrank._shortlist(items)
    ranked_words = sum(len(set(textrank.words(items[i]))) for i in chosen)
    assert ranked_words <= textrank.MAX_RANKED_WORDS
    assert len(chosen) == 52  # of 300: the budget, not the sentence cap, decides
    assert len(textrank.summarize(text, 3)) == 3
