"""Proper names in a reading: runs of capitalised words, found without a language model.

A run is one or more capitalised words with nothing but spaces between them, joined across
small words ("Bank of England", "Ludwig van Beethoven"); a possessive ends it. At the start of
a sentence a capital proves nothing, so opening words like "The" or "However" are dropped and a
lone capitalised word there does not count. A single word counts only where it stands in the
middle of a sentence (and is no month or day). The names are what a cloze may hide; terms come
only from sentences that define them (definitions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studykit.ingest.sentences import STOPWORDS

_CONNECTOR_WORDS = "of the de del der des di du la le van von y al bin ibn da dos"
_CONNECTORS = frozenset(_CONNECTOR_WORDS.split())
# Capital letters of the Latin, Greek and Cyrillic alphabets; scripts without case have no names
# to find this way.
_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_CAPITAL_WORD = rf"[{_UPPER}][\w-]*"
_JOINS = _CONNECTOR_WORDS.replace(" ", "|")
_RUN = re.compile(rf"(?<![\w'’-]){_CAPITAL_WORD}(?: (?:(?:{_JOINS}) )?{_CAPITAL_WORD})*")
_ERAS = frozenset("BC AD BCE CE".split())
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_NOT_NAMES = _MONTHS | frozenset(
    """monday tuesday wednesday thursday friday saturday sunday""".split()
)
# A month after a day number ("2 April"), or after a word that sets a time ("in April", "early
# May"), is a date's, never the first word of the name after it ("On 2 April Wilson asked ...").
_DAY_BEFORE = re.compile(
    r"(?:\b\d{1,2}(?:st|nd|rd|th)?|\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Ee]arly|[Ll]ate)) $"
)
_OPENERS = STOPWORDS | frozenset(
    "after before during despite following in on at yet meanwhile today later still".split()
)
# A comparative or a like adjective opening a sentence qualifies the capitalised words after it
# ("Smaller Neo-Hittite states survived ..."): the run is a noun phrase's, not a name. (Not
# "Greater", "Upper", "Lower", "New", "Old", "Younger", "Lesser", "Late": they open names of
# places and periods.)
_QUALIFYING_OPENERS = frozenset(
    """smaller smallest larger largest bigger biggest earlier earliest early latest longer
    longest shorter shortest wider widest richer richest poorer poorest stronger strongest
    weaker weakest fewer""".split()
)


# Words that open a sentence to tell the reader what to do or how to read on: never a name.
_DISCOURSE = frozenset(
    """note notice see ignore remember consider compare use try run install compile read
    check make keep avoid another usually also again otherwise finally first next then""".split()
)
# Opening quotation marks: a run just after one (and a space) opens the quoted message.
_QUOTES = frozenset("\"“‘'")


_LOWER_WORD = re.compile(r"[a-z][\w'’-]*")
# A possessive or a dash joining it to more: where a name ends is unsure ("St John's College",
# "Faraday's law", "Emily's Wuthering Heights", "Heckscher–Ohlin").
_POSSESSIVE_NAME_AFTER = re.compile(rf"['’]s\b|s['’](?=\s)|[-–—]{_CAPITAL_WORD}")
_POSSESSIVE_NAME_BEFORE = re.compile(rf"{_CAPITAL_WORD}(?:['’]s? |[-–—])$")
_PLACE_WORDS = frozenset("in at to from across near through into throughout around outside".split())
_THE_PLACE = [[word, "the"] for word in sorted(_PLACE_WORDS)]
_TOPIC_COUNT = 5
_TOPIC_SHARE = 50


@dataclass
class _Name:
    text: str
    multi: bool
    count: int
    section: int
    sentence: int


def _without_possessive(word: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def name_runs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, at sentence start) of each run of capitalised words in one sentence."""
    runs: list[tuple[int, int, bool]] = []
    for match in _RUN.finditer(text):
        start = match.start()
        at_start = start < 6 and not text[:start].strip("\"'“‘([ _*")
        words = match.group().split(" ")
        if words[0] in _ERAS and len(words) > 1:
            start += len(words.pop(0)) + 1  # "418 BC Sparta": the era ends the date
        if at_start and words[0].lower() in _QUALIFYING_OPENERS:
            continue
        if at_start:
            while words and (words[0].lower() in _OPENERS or words[0].lower() in _CONNECTORS):
                start += len(words.pop(0)) + 1
                at_start = False
        if (
            len(words) > 1
            and words[0].lower() in _MONTHS
            and _DAY_BEFORE.search(text, max(0, start - 8), start)
        ):
            start += len(words.pop(0)) + 1
        if words:
            runs.append((start, match.end(), at_start))
    return runs


class NameFinder:
    """The names of one reading, from its sentences grouped by section."""

    def __init__(self, sections: list[list[str]], lowercase: set[str], capitalised: set[str]):
        """Sentences by section; words seen in lower case, and capitalised mid-sentence."""
        self.names: dict[str, _Name] = {}
        self.places: set[str] = set()  # names the reading writes after "in", "to", "from"...
        self._after_capital: dict[str, bool] | None = None
        self.text = "\n".join(sentence for found in sections for sentence in found)
        for number, found in enumerate(sections):
            for index, sentence in enumerate(found):
                self._scan(sentence, number, index)
        self.lowercase_words = {_without_possessive(w) for w in lowercase}
        self.capital_words = {_without_possessive(w) for w in capitalised}

    def _scan(self, sentence: str, section: int, index: int) -> None:
        for start, end, at_start in name_runs(sentence):
            text = sentence[start:end]
            before = sentence[max(0, start - 24) : start].split()[-2:]
            if before and (before[-1] in _PLACE_WORDS or before[-2:] in _THE_PLACE):
                self.places.add(text.lower())  # "moved to California", "in the Netherlands"
            multi = " " in text
            if not multi and (at_start or not self._single_name(text)):
                continue
            key = text.lower()
            name = self.names.get(key)
            if name is None:
                self.names[key] = _Name(text, multi, 1, section, index)
            else:
                name.count += 1

    @staticmethod
    def _single_name(word: str) -> bool:
        lower = word.lower()
        return len(word) >= 3 and lower not in STOPWORDS and lower not in _NOT_NAMES

    def topics(self, sentences: int) -> set[str]:
        """The names (lowercased) the reading keeps naming: in five sentences or more, and in
        at least one sentence in fifty. A longer name's first word counts too: "Napoleon
        Bonaparte" once and "Napoleon" four times is Napoleon five times."""
        counts = {key: name.count for key, name in self.names.items()}
        for key, name in self.names.items():
            first = key.split(" ", 1)[0]
            if name.multi and first in counts and not self.names[first].multi:
                counts[first] += name.count
        found = {
            key
            for key, count in counts.items()
            if count >= _TOPIC_COUNT and count * _TOPIC_SHARE >= sentences
        }
        # ... and "Napoleon Bonaparte" is the topic "Napoleon" in full.
        return found | {key for key in counts if key.split(" ", 1)[0] in found}

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where names stand in a sentence, longest names first.

        Where a sentence or a quoted message opens, a capital proves nothing: its first words
        are no name when the reading writes them in lower case or they tell the reader what to
        do ("Note that", "Usually Vim", "Another CTRL-^"), and a quotation's first word is the
        message's, not a name ("\"Conditional jump ...\"").
        """
        found = []
        for start, end, at_start in name_runs(text):
            quoted = (
                text[start - 1 : start] in _QUOTES and text[start - 2 : start - 1].strip() == ""
            )
            if at_start or quoted:
                first = start
                while start < end and self._common_opener(text[start:end].split(" ", 1)[0]):
                    start += len(text[start:end].split(" ", 1)[0]) + 1
                if start >= end or (quoted and start == first and " " not in text[start:end]):
                    continue
            if _POSSESSIVE_NAME_AFTER.match(text, end) or _POSSESSIVE_NAME_BEFORE.search(
                text, max(0, start - 40), start
            ):
                continue  # "St John's College", "Faraday's law": where does the name end?
            if text[start:end].lower() in self.names:
                found.append((start, end))
        return sorted(found, key=lambda span: (span[0] - span[1], span[0]))

    def only_after_a_capital(self, word: str) -> bool:
        """Whether the reading writes `word` only right after a capitalised word or an initial
        ("Yersinia pestis", "Y. pestis"): then it is part of a name, not a word of its own."""
        if self._after_capital is None:
            # One pass over the reading, on the first question: each word's answer is known.
            self._after_capital = {}
            tokens = self.text.split()
            for before, token in zip(["", *tokens], tokens, strict=False):
                found = _LOWER_WORD.match(token)
                if found is not None:
                    known = self._after_capital.get(found.group(), True)
                    self._after_capital[found.group()] = known and before[:1].isupper()
        return self._after_capital.get(word, False)

    def _common_opener(self, word: str) -> bool:
        lower = _without_possessive(word).lower()
        return lower in self.lowercase_words or lower in _DISCOURSE
