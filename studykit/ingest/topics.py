"""The names a heading or a title holds: the topic a section's lead must name, and the title's
acronyms no card hides.
"""

from __future__ import annotations

from studykit.ingest.hidden_text import _bare
from studykit.ingest.sentence_scoring import _Sentence
from studykit.ingest.sentences import STOPWORDS, cased_words, content_words, words

# The heading's words that say nothing of what a section is about.
_GENERIC_TITLE_WORDS = frozenset(
    """introduction overview history background summary conclusion conclusions discussion
    notes preface foreword contents abstract general miscellaneous details basics beginning end
    part chapter section appendix text full main about more further other description name
    synopsis""".split()
)


def _names_in_heading(
    heading: str, capital_words: set[str], lower_words: set[str]
) -> frozenset[str]:
    """The names a heading holds, stemmed: an acronym ("ESM"), or in a heading not set in
    title case a capitalised word the reading never writes in lower case ("History of the
    Tokugawa"). In title case ("Interaction with Locally Installed ...") a capital says
    nothing: a cross-reference to the heading writes it so in the text too."""
    cased = [w for w in cased_words(heading) if len(w) > 1]
    content = [w for w in cased if w.lower() not in STOPWORDS]
    title_case = sum(w[0].isupper() for w in content) == len(content) > 1
    return frozenset(
        _stem(w.lower())
        for w in content
        if (w.isupper() and len(w) > 1)
        or (
            not title_case
            and w[0].isupper()
            and _bare(w.lower()) in capital_words
            and _bare(w.lower()) not in lower_words
        )
    )


def summary_topic(heading: str, reading_title: str) -> frozenset[str]:
    """The words a section's lead must name one of to be its summary, stemmed: the heading's
    own content words, without the reading's title's (the topic of every section) or generic
    ones ("Introduction", "History"); where none is left, the reading's title's. Empty, no test:
    a reading without a title and a section without a heading of its own."""
    title_words = {_stem(w) for w in content_words(words(reading_title)) if len(w) > 2}
    own = {
        _stem(w)
        for w in content_words(words(heading))
        if len(w) > 2 and w not in _GENERIC_TITLE_WORDS
    }
    return frozenset((own - title_words) or title_words)


def _stem(word: str) -> str:
    """A word's first letters, enough to match its kin ("economy", "economic"; "chloroplast",
    "chloroplasts") and few enough not to match much else."""
    word = _bare(word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:6]


def _names_the_topic(lead: _Sentence, topic: frozenset[str]) -> bool:
    """Whether the lead names one of the section's topic words ("Economic modernization ..."
    under "The Economy"); a lead about something else ("The CommonJS module system ..." under
    "ES Modules (ESM)", "In the 1640s van Helmont ..." under "History of discovery") is
    background or a first event, not the gist."""
    if not topic:
        return True
    return any(_stem(w) in topic for w in lead.words)


def _title_acronyms(title: str) -> set[str]:
    """The acronyms of the title's runs of capitalised words: "GCC" of "... the GNU Compiler
    Collection for Debian" abbreviates the reading's topic."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*title.split(), ""]:
        if word[:1].isupper():
            run.append(word[0])
            continue
        if word.lower() in ("of", "and", "for", "the") and run:
            continue
        for i in range(len(run)):
            for j in range(i + 2, min(i + _LONGEST_ACRONYM, len(run)) + 1):
                found.add("".join(run[i:j]).lower())
        run = []
    return found


# No acronym is longer than this many letters: every sub-run of a long title's initials was
# cubic in time and memory (a 2,000-word title took 13 s and 1.6 GB), and none is ever written.
_LONGEST_ACRONYM = 10
