"""A section's drafted summary says what the section is about: its lead sentence, where that
stands on its own, never a side detail, a list's item, a glossary's entry, a citation or a
sentence that points back; and a reference list gets no drafts at all.

The paragraphs are from a history of the Hanseatic League and an article on plate tectonics
that two tutors judged: each summary asserted here is one they accepted, or the `# TODO` left
where they rejected the one drafted before.
"""

from __future__ import annotations

from draft_helpers import drafted

from studykit.ingest.draft_notes import draft_reading
from studykit.ingest.sections import PlannedSection

_TRADE = (
    "The trade of the Hanse ran along an east–west axis. From the east came raw materials: "
    "grain from Prussia and Poland, timber, pitch and tar from the forests of the Baltic, furs "
    "and wax from Russia, and amber from the Prussian coast. Salt and fish were traded in both "
    "directions.",
    "The typical Hanseatic ship was the **cog**, a single-masted, clinker-built vessel with a "
    "flat bottom and high sides, able to carry up to about 100 tonnes. From the fifteenth "
    "century the cog was gradually replaced by the **hulk**, a larger ship that could carry "
    "twice as much cargo.",
)


def test_the_summary_is_the_sections_lead_not_a_side_detail() -> None:
    # The hulk's sentence covered more of the section's rarer words, and was drafted before.
    assert drafted(*_TRADE, title="Trade and ships").summary == (
        "The trade of the Hanse ran along an east–west axis."
    )


def test_a_lead_that_points_back_gives_no_summary_not_a_later_sentence() -> None:
    # A later sentence is a detail more often than the gist: the student writes the summary.
    draft = drafted(
        "It met irregularly, usually at Lübeck, and was attended by delegates of the towns. "
        "The Hansetag was the League's only common institution.",
        "Between diets, regional assemblies of neighbouring towns did most of the work.",
    )
    assert draft.summary is None


def test_no_summary_resting_on_a_thing_named_before() -> None:
    # "The sanction" and "the hypothesis" are the ones a sentence before named: which, a
    # student reading the summary alone cannot tell. No other sentence stands alone: the
    # student writes the summary.
    sanction = drafted(
        "Its chief sanction against a member town was exclusion from the Hanse, which cut the "
        "town's merchants off from the privileges of the League abroad for years.",
        "The sanction worked because a town's trade depended on privileges that only the League "
        "as a whole could obtain and defend.",
    )
    assert sanction.summary is None
    hypothesis = drafted(
        "In 1963 Vine and Matthews set out their hypothesis that the magnetic stripes on either "
        "side of a ridge recorded the reversals of Earth's magnetic field over time.",
        "Surveys over the Reykjanes Ridge south of Iceland showed the stripes to be symmetrical "
        "about the ridge axis, exactly as the hypothesis predicted.",
    )
    # The lead, never the sentence resting on "the hypothesis".
    assert hypothesis.summary is not None and hypothesis.summary.startswith("In 1963 Vine")


def test_a_sentence_announcing_what_follows_joins_the_lead() -> None:
    draft = drafted(
        "Most earthquakes, volcanoes and mountain building take place along the edges of "
        "plates, where they interact. Three kinds of boundary are distinguished according to "
        "the relative motion of the plates on either side.",
        "At a **divergent boundary** two plates move apart and new lithosphere is created as "
        "magma rises from the mantle to fill the gap.",
        title="Plate boundaries",
    )
    assert draft.summary == (
        "Most earthquakes, volcanoes and mountain building take place along the edges of "
        "plates, where they interact. Three kinds of boundary are distinguished according to "
        "the relative motion of the plates on either side."
    )


def test_no_summary_from_a_lists_item_or_a_glossarys_entry() -> None:
    decline = drafted(
        "Historians usually name several causes:",
        "1. Competition from the Dutch, whose ships were cheaper to build and run.\n"
        "2. The rise of English cloth merchants, the **Merchant Adventurers**, who traded "
        "directly with the Continent.",
    )
    assert decline.summary is None
    glossary = drafted(
        "- **Craton**: An old and stable part of the continental lithosphere.\n"
        "- **Ophiolite**: A section of oceanic crust thrust up onto the edge of a continent.\n"
        "- **Triple junction**: A point where the boundaries of three plates meet.",
        title="Glossary",
    )
    assert glossary.summary is None
    assert glossary.terms[0] == ("Craton", "an old and stable part of the continental lithosphere")


_CITATIONS = (
    "1. Wegener, A. (1915). Die Entstehung der Kontinente und Ozeane. Braunschweig: Vieweg.\n"
    '2. Hess, H. H. (1962). "History of ocean basins". In Petrologic Studies, pp. 599–620. '
    "Geological Society of America.\n"
    '3. Vine, F. J.; Matthews, D. H. (1963). "Magnetic anomalies over oceanic ridges". Nature '
    "199: 947–949.",
)


def test_a_reference_list_gets_no_drafts() -> None:
    titled, untitled, prose = draft_reading(
        [
            PlannedSection(1, "references", "References", _CITATIONS, headed=True),
            PlannedSection(2, "sources", "Where the maps come from", _CITATIONS, headed=True),
            PlannedSection(
                3,
                "works",
                "Works cited in the debate",
                ("The debate over Wegener's hypothesis lasted from 1915 until the 1960s.",),
                headed=True,
            ),
        ]
    )
    for draft in (titled, untitled):
        assert (draft.summary, draft.points, draft.terms, draft.questions) == (None, (), (), ())
    # A heading that only mentions works is no reference list.
    assert prose.summary == (
        "The debate over Wegener's hypothesis lasted from 1915 until the 1960s."
    )


def test_a_pages_dateline_is_no_summary() -> None:
    draft = drafted(
        "Last reviewed 14 March 2024 by the editors.",
        "Plates move at speeds of a few centimetres per year, comparable to the rate at which "
        "fingernails grow.",
    )
    assert draft.summary == (
        "Plates move at speeds of a few centimetres per year, comparable to the rate at which "
        "fingernails grow."
    )
