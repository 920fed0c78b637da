"""A section's sentences as draft_notes.py weighs them: split, marked (a list's item, an
example's, the opening) and scored, the words that make a sentence count.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from studykit.ingest.sections import PlannedSection
from studykit.ingest.sentences import cased_words, content_words, sentences, splitter_agrees, words

MAX_SENTENCE_CHARS = 5_000
"""About 800 words: no card can ask it, and drafts quote whole sentences (a summary, a
question's answer), so a longer one (a list or index without full stops, a page without
punctuation) is left out of the drafts. The excerpt keeps it, like every sentence a draft does
not use; drafting stays small, and the notes file under its limit."""
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_LONG_NUMBER = re.compile(r"(?<![\w.])\d{3,}(?![\w.]\d)")
_GLOSSARY_ENTRY = re.compile(
    r"(?:\d[\d.]*\s+)?[“\"][^”\"]{1,40}[”\"]\s+(?:\([^()]{0,40}\)\s+)?(?:means|refers)"
)
_COLUMN_GAP = re.compile(r"\S(?: {3,}|\t)(?=\S)")
_QUOTE_MARK = re.compile(r"^(?:>\s*)+")
_NOT_PROSE = re.compile(r"\s*(?:```|~~~|#|\||<|    )")
# "**`default-version`**: The name of ...": a glossary's entry for a name in code opens too.
_OPENS = re.compile(r"[\"'“‘(\[*_]*[^\W\d_a-z]|\d|(?:\*\*`?|`)\w")
_ENDS = re.compile(r"[.!?。！？][\"'”’)\]*_]*$")


@dataclass
class _Sentence:
    text: str
    index: int
    size: int  # words
    words: list[str]  # content words
    before: str  # the sentence before it in its paragraph ("" for the first)
    after: str  # the sentence after it
    score: float = 0.0
    example: bool = False  # names a number of the section's code or output (an example's)
    item: bool = False  # a list's item or a glossary's entry: one of several, not the gist
    lead: bool = False  # the first sentence of its paragraph
    opening: bool = False  # the first sentence of the section's opening paragraph (_opens)
    paragraph: int = 0  # its paragraph's place in the section
    whole: bool | None = field(default=None, repr=False)  # known once asked: see _whole


def _whole(sentence: _Sentence) -> bool:
    """A whole sentence: opens with a capital, ends with its stop, and a sentence splitter
    (pysbd) reads it, between its neighbours, as one sentence too."""
    if sentence.whole is None:
        text = sentence.text
        sentence.whole = (
            sentence.size >= 4
            and _OPENS.match(text) is not None
            and _ENDS.search(text) is not None
            and "|" not in text
            # "... coenzyme A. In eukaryotic cells ...": a stop and a capital inside may be two
            # sentences run together; an initial ("J. Smith") may be lost with them.
            and _INNER_BREAK.search(text) is None
            and splitter_agrees(text, sentence.before, sentence.after)
        )
    return sentence.whole


_INNER_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(\[]?[A-Z]")
# The next sentence goes on with the definition ("It also means ..."): the term without it
# would teach half of what it is.
_GOES_ON = re.compile(
    r"[\"'“‘(]*(?:(?:It|This|That|These|They|Such|The term|The word)\s+(?:also|too|further"
    r"|additionally|(?:means|includes?|covers?|refers|excludes?|does not))\b"
    r"|Also\b|In addition\b|Further(?:more)?\b|Moreover\b)"
)


_QUESTION_CANDIDATES = 40
_BARE_THE_SUBJECT = re.compile(
    r"(?:When|Why)\s+(?:did|was|were|is|are)\s+the\s+[a-z]+\s+"
    r"(?!(?:of|in|on|at|from|for|that|which|who|whose|to|with)\b)"
)


def _section_sentences(
    section: PlannedSection, lowercase: set[str], capitalised: set[str]
) -> list[_Sentence]:
    """The section's sentences; adds the words seen in lower case and capitalised mid-sentence."""
    found: list[_Sentence] = []
    every_cased: list[list[str]] = []
    shown_text: list[str] = []
    paragraph_number = 0
    opened = False  # the section's opening paragraph seen (bylines, images, tables aside)
    for paragraph in section.paragraphs:
        opening = not opened and not _before_the_opening(paragraph)
        opened = opened or opening
        if _NOT_PROSE.match(paragraph) or any(
            len(_COLUMN_GAP.findall(line)) >= 2 for line in paragraph.split("\n")
        ):
            shown_text.append(paragraph)
            continue  # code, a table, or a table flattened to text: no sentences to learn
        lines = paragraph.split("\n")
        if all(line[:1].isspace() for line in lines):
            shown_text.append(paragraph)  # set in from the text: a program's code or output
        items = _list_items(lines)
        chunks = items or [paragraph]
        # A licence's "“Work” means ..." is a glossary's entry too.
        item = items is not None or _GLOSSARY_ENTRY.match(paragraph) is not None
        paragraph_number += 1
        for number, chunk in enumerate(chunks):
            # A Markdown quote's `>` is layout, not part of the sentence.
            split = [_QUOTE_MARK.sub("", text) for text in sentences(chunk)]
            for at, text in enumerate(split):
                if not text or len(text) > MAX_SENTENCE_CHARS:
                    continue
                cased = cased_words(text)
                every_cased.append(cased)
                every = words(text)
                before = split[at - 1] if at else ""
                after = split[at + 1] if at + 1 < len(split) else ""
                found.append(
                    _Sentence(
                        text,
                        len(found),
                        len(every),
                        content_words(every),
                        before,
                        after,
                        item=item,
                        lead=at == 0 and number == 0,
                        opening=opening and at == 0 and number == 0,
                        paragraph=paragraph_number,
                    )
                )
    shown = {n for p in shown_text for n in _LONG_NUMBER.findall(p)}
    if shown:
        for sentence in found:
            sentence.example = any(n in shown for n in _LONG_NUMBER.findall(sentence.text))
    # Distinct words first: far fewer than words, so the case tests stay cheap.
    seen = set(chain.from_iterable(every_cased))
    lowercase.update(w for w in seen if w[0].islower())
    after_first = set(chain.from_iterable(cased[1:] for cased in every_cased))
    capitalised.update(w.lower() for w in after_first if w[0].isupper())
    return found


def _before_the_opening(paragraph: str) -> bool:
    """Whether a paragraph comes before a section's opening one and is none: a byline or a
    dateline ("By Margaret L. Okafor ... Last updated 12 March 2025", "_Present in: 2021_"), an
    image, or a table (an infobox)."""
    text = paragraph.strip().strip("*_").strip()
    if _DATELINE.match(text) or text.startswith(("! [", "![")):
        return True
    lines = paragraph.split("\n")
    # Rows of cells; one line with a `|` is a sentence (`python3-foo | python3-bar`).
    return paragraph.lstrip().startswith("|") or (
        len(lines) >= 2 and sum(" | " in line for line in lines) * 2 > len(lines)
    )


def _list_items(lines: list[str]) -> list[str] | None:
    """A list's items without their markers, each wrapped line joined to the item it goes on
    (set in under it); None when the lines are not a list."""
    if not _LIST_ITEM.match(lines[0]):
        return None
    items: list[str] = []
    for line in lines:
        if _LIST_ITEM.match(line):
            items.append(_LIST_ITEM.sub("", line, count=1))
        elif line[:1].isspace() and line.strip():
            items[-1] += " " + line.strip()
        else:
            return None
    return items


def _score(per_section: list[list[_Sentence]]) -> None:
    """Weight each sentence by the distinctive words it covers, shorter sentences preferred."""
    counts = [Counter(w for s in found for w in s.words) for found in per_section]
    frequency = Counter(w for section in counts for w in section)
    total = len(per_section)
    for found, section in zip(per_section, counts, strict=True):
        weights = {
            w: math.log1p(n) * math.log((total + 1) / (frequency[w] + 0.5))
            for w, n in section.items()
        }
        for position, sentence in enumerate(found):
            # Distinct words in sentence order: a set's order changes with the hash seed, and
            # a float sum in another order can rank two sentences the other way round.
            weight = sum(weights[w] for w in dict.fromkeys(sentence.words))
            sentence.score = weight / math.sqrt(len(sentence.words) + 1)
            if position == 0:
                sentence.score *= 1.15


def _ranked(found: list[_Sentence]) -> list[_Sentence]:
    return sorted(found, key=lambda s: (-s.score, s.index))


# "Last reviewed 14 March 2024.", "Posted by ...": about the page, not the section.
_DATELINE = re.compile(
    r"(?:By\s+[A-Z][\w.'’-]*\s+[A-Z]|Posted|Published|Updated|Written\s+by|Revised|Revision"
    r"|Reviewed\s+by|Version\s+(?:from|of|dated|\d)|Created\s+(?:on|by|in|\d)|Present\s+in"
    r"|Last\s+(?:updated|reviewed|modified|edited|revised|changed)"
    r"|(?:Lecture\s+notes\s+|Notes\s+)?(?:[Pp]repared|[Cc]ompiled)\s+by|Authors?(?=:\s))\b"
)
