"""A reading's title of any length is read in linear time.

The title's runs of capitalised words give the acronyms a draft keeps from hiding ("GCC" of
"The GNU Compiler Collection"). Every sub-run of the initials was one once: a title of 2,000
capitalised words took 13 s and 1.6 GB, one of 10,000 never finished.
"""

from __future__ import annotations

import random

from growth import assert_doubling, cpu_seconds

from studykit.ingest.draft_notes import draft_reading
from studykit.ingest.topics import _title_acronyms


def test_a_titles_run_of_capitalised_words_gives_its_acronyms() -> None:
    assert _title_acronyms("The GNU Compiler Collection") == {
        "tg", "tgc", "tgcc", "gc", "gcc", "cc"
    }  # fmt: skip
    assert "lh" in _title_acronyms("Letters of Henry and the War")


def test_no_acronym_is_longer_than_ten_letters() -> None:
    title = " ".join(f"{letter}ord" for letter in "ABCDEFGHIJKLMNOPQRST")
    found = _title_acronyms(title)
    assert max(len(acronym) for acronym in found) == 10
    assert "abcdefghij" in found and "klmnopqrst" in found


def _seconds(n: int) -> float:
    """Drafting a reading titled with n capitalised words of random initials."""
    rng = random.Random(1)
    title = " ".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "ord" for _ in range(n))
    return cpu_seconds(lambda: draft_reading([], title))


def test_a_title_of_two_thousand_capitalised_words_is_quick() -> None:
    # First, and small: the cubic reading took 1.9 s at 1,000 words and 13 s at 2,000, and
    # would not end at the sizes below.
    assert_doubling(_seconds, 1_000, "drafting a reading titled with capitalised words", "it")


def test_doubling_a_titles_capitalised_words_at_most_doubles_the_time() -> None:
    assert_doubling(_seconds, 40_000, "drafting a reading titled with capitalised words", "it")
