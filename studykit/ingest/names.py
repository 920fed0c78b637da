"""Proper names in a reading: runs of capitalised words, found without a language model.

A run is one or more capitalised words with nothing but spaces between them, joined across
small words ("Bank of England", "Ludwig van Beethoven"); a possessive ends it. At the start of
a sentence a capital proves nothing, so opening words like "The" or "However" are dropped and a
lone capitalised word there does not count. Names of two or more words are candidate terms;
a single word counts only where it recurs in the middle of sentences (and is no month or day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studykit.ingest.sentences import STOPWORDS

_TOKEN = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?(?:['’]s?)?")
_CONNECTOR_WORDS = "of the de del der des di du la le van von y al bin ibn da dos"
_CONNECTORS = frozenset(_CONNECTOR_WORDS.split())
# Capital letters of the Latin, Greek and Cyrillic alphabets; scripts without case have no names
# to find this way.
_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_CAPITAL_WORD = rf"[{_UPPER}][\w-]*"
_JOINS = _CONNECTOR_WORDS.replace(" ", "|")
_RUN = re.compile(rf"(?<![\w'’-]){_CAPITAL_WORD}(?: (?:(?:{_JOINS}) )?{_CAPITAL_WORD})*")
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
_OPENERS = STOPWORDS | frozenset(
    "after before during despite following in on at yet meanwhile today later still".split()
)
_DEFINING = re.compile(
    r"\s*(?:,|\(|is\b|was\b|are\b|were\b|refers\b|means\b|meant\b|describes\b|denotes\b)"
)
_DEFINITION_WINDOW = 20
_COPULA = re.compile(r"\s+(?:is|was|are|were)\s+(?:also\s+)?(?=\S)")
_APPOSITIVE = re.compile(r",\s+((?:a|an|the)\s[^,;:()]+?),")
_CLAUSE_WORDS = (4, 30)
_NUMBERING = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLCDM]{1,7}\.)\s+")


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
        at_start = start < 4 and not text[:start].strip("\"'“‘([ ")
        words = match.group().split(" ")
        if at_start:
            while words and (words[0].lower() in _OPENERS or words[0].lower() in _CONNECTORS):
                start += len(words.pop(0)) + 1
                at_start = False
        if words:
            runs.append((start, match.end(), at_start))
    return runs


class NameFinder:
    """The names of one reading, from its sentences grouped by section."""

    def __init__(self, sections: list[list[str]], lowercase: set[str], capitalised: set[str]):
        """Sentences by section; words seen in lower case, and capitalised mid-sentence."""
        self.sections = sections
        self.names: dict[str, _Name] = {}
        for number, found in enumerate(sections):
            for index, sentence in enumerate(found):
                self._scan(sentence, number, index)
        self.lowercase_words = {_without_possessive(w) for w in lowercase}
        self.capital_words = {_without_possessive(w) for w in capitalised}

    def _scan(self, sentence: str, section: int, index: int) -> None:
        for start, end, at_start in name_runs(sentence):
            text = sentence[start:end]
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

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where names stand in a sentence, longest names first."""
        found = [
            (start, end)
            for start, end, at_start in name_runs(text)
            if text[start:end].lower() in self.names
        ]
        return sorted(found, key=lambda span: (span[0] - span[1], span[0]))

    def terms(self, per_section: int) -> dict[int, list[tuple[str, str]]]:
        """Candidate terms by section: each with the sentence that introduces it, term masked."""
        multi_words = {w for n in self.names.values() if n.multi for w in n.text.lower().split()}
        eligible = [
            n
            for n in self.names.values()
            if n.multi or (n.count >= 2 and n.text.lower() not in multi_words)
        ]
        by_section: dict[int, list[_Name]] = {}
        for name in eligible:
            by_section.setdefault(name.section, []).append(name)
        terms: dict[int, list[tuple[str, str]]] = {}
        for section, names in sorted(by_section.items()):
            best = sorted(names, key=lambda n: (-n.count, not n.multi, n.sentence, n.text))
            chosen = sorted(best[:per_section], key=lambda n: (n.sentence, n.text))
            for name in chosen:
                definition = self._definition(name)
                if definition:
                    terms.setdefault(section, []).append((name.text, definition))
        return terms

    def _definition(self, name: _Name) -> str | None:
        pattern = re.compile(re.escape(name.text), re.IGNORECASE)
        # The sentences near where the name first appears: one that defines it, else the first.
        near = self.sections[name.section][name.sentence : name.sentence + _DEFINITION_WINDOW]
        containing = [s for s in near if pattern.search(s)]
        defining = [
            s for s in containing if any(_DEFINING.match(s, m.end()) for m in pattern.finditer(s))
        ]
        sentence = (defining or containing or [""])[0]
        clause = _defining_clause(sentence, pattern)
        if clause is not None:
            return clause
        masked = pattern.sub("…", sentence)
        return masked if len(masked.split()) >= 4 else None

    def as_phrase(self, title: str) -> str | None:
        """A heading as a phrase inside a sentence: common words lowercased, names kept.

        None when the reading does not show how a word of the heading is written in running
        text, so the heading is better quoted as it is.
        """
        title = _NUMBERING.sub("", title, count=1) if _NUMBERING.match(title) else title
        shouted = title.isupper()
        phrase: list[str] = []
        position = 0
        for match in _TOKEN.finditer(title):
            word = match.group()
            if shouted:
                word = word.lower()
            bare = _without_possessive(word)
            lower = bare.lower()
            if (bare.isupper() and len(bare) > 1) or any(c.isupper() for c in bare[1:]):
                kept = word
            elif lower in _CONNECTORS or lower in STOPWORDS or lower in self.lowercase_words:
                kept = word.lower()
            elif lower in self.capital_words:
                kept = word[0].upper() + word[1:]
            else:
                return None
            phrase += [title[position : match.start()], kept]
            position = match.end()
        return "".join([*phrase, title[position:]]) or None


def _defining_clause(sentence: str, name: re.Pattern[str]) -> str | None:
    """What a sentence says the name is: the words after "is/was/were", or an appositive.

    "The Great Leap Forward was a campaign to ..." -> "a campaign to ..."; "Lysenko, a biologist
    favoured by Stalin, ..." -> "a biologist favoured by Stalin". A clause that names the term
    again, or is too short or too long for a card's back, is not used.
    """
    low, high = _CLAUSE_WORDS
    for match in name.finditer(sentence):
        appositive = _APPOSITIVE.match(sentence, match.end())
        copula = _COPULA.match(sentence, match.end())
        if appositive:
            clause, shortest = appositive.group(1), 3  # "the defence minister"
        elif copula:
            clause, shortest = sentence[copula.end() :], low
        else:
            continue
        clause = clause.strip()
        if shortest <= len(clause.split()) <= high and not name.search(clause):
            return clause
    return None
