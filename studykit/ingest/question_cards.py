"""A section's questions: when/why/who questions from sentences that say so (questions.py),
none about a bare "the <thing>".
"""

from __future__ import annotations

import re

from studykit.ingest.leaning_back import _leans_back, _unowned
from studykit.ingest.names import NameFinder
from studykit.ingest.questions import Question, Words, asked_by
from studykit.ingest.sentence_scoring import (
    _BARE_THE_SUBJECT,
    _QUESTION_CANDIDATES,
    _ranked,
    _Sentence,
    _whole,
)

MAX_QUESTIONS = 2


def _questions(
    found: list[_Sentence], known: Words, names: NameFinder
) -> list[tuple[_Sentence, Question]]:
    """Up to MAX_QUESTIONS questions from the best sentences that answer one, in reading order."""
    from studykit.quality import ANSWER_WORDS
    from studykit.quality.shapes import list_items, too_long

    chosen: list[tuple[_Sentence, Question]] = []
    # Among the section's best sentences only: a question on a minor detail is a poor card, and
    # a long section's every sentence would cost time for nothing.
    for sentence in _ranked(found)[:_QUESTION_CANDIDATES]:
        if len(chosen) == MAX_QUESTIONS:
            break
        if sentence.size > ANSWER_WORDS or len(sentence.text) > MAX_ANSWER_CHARS:
            continue
        if _leans_back(sentence.text) or _unowned(sentence.text, names):
            continue  # "Who founded the Aldine Press there ...?": where?
        question = asked_by(sentence.text, known)
        if question is None or not _whole(sentence):
            continue
        if _names_a_thing_before(question.q) or _BARE_THE_SUBJECT.match(question.q):
            # "When did Pope Clement VI condemn the movement?": which movement? "When did the
            # jury reject ...?": which jury?
            continue
        if too_long(question.a, ANSWER_WORDS) is not None or list_items(question.a) is not None:
            continue
        if any(q.q == question.q for _, q in chosen):
            continue
        chosen.append((sentence, question))
    return sorted(chosen, key=lambda pair: pair[0].index)


MAX_ANSWER_CHARS = 400
# "Pope Clement VI condemned the movement in 1349": "the movement" is a thing named before
# (the Flagellants), which the question cannot say. A "the" phrase a card can stand on is pinned
# down where it stands ("the end of the war", "the river that ..."), is a name ("the Golden
# Horde") or many ("the continents"); any other in the question, and none is drafted.
_THE_WORD = (
    r"(?!(?:in|on|at|by|to|of|for|from|with|and|or|as|is|are|was|were|had|has)\b)[a-z][\w'’-]*"
)
_THE_THING = re.compile(
    rf"\b[Tt]he\s+(?>(?:{_THE_WORD}\s+)?{_THE_WORD})(?<![^s]s)(?![\w'’-])"
    # Where the phrase ends: the question's end or a setting after it ("... condemn the
    # movement?", "... reform the land tax in 1873?"), not a verb ("the reactions form ...").
    r"(?=\s*[?.!,;]|\s+(?:in|on|at|by|to|for|from|with|during|after|before|and|or)\b)"
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|on|at|by|to|of|for|from|with|into|over|under|across|through|during)\s+$"
)


# "The manual can be read using ...": a subject that is a thing named before (which manual?).
_OPENS_WITH_A_THING = re.compile(
    rf"[\"'“‘(]*The\s+(?>{_THE_WORD})(?<![^s]s)(?![\w'’-])"
    r"(?!\s+(?:of|that|which|who|whom|whose|where|when|[A-Z\d(\"“]))"
    r"(?=\s+(?:can|could|may|might|must|should|will|would|is|was|has|had|does|did)\b)"
)


def _names_a_thing_before(text: str) -> bool:
    """Whether the sentence's subject or object is a bare "the <thing>" ("... condemned the
    movement in 1349", "The manual can be read ..."): a thing named before, and a question
    cannot say which. A "the" after a preposition ("at the time") is a setting, not the point."""
    return any(
        not _PREPOSITION_BEFORE.search(text, max(0, m.start() - 12), m.start())
        for m in _THE_THING.finditer(text)
    )
