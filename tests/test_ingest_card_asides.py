"""Cards ingest must not draft from sentences of a literary history, a history of trade, an
economics text and a history of the transistor, and the right cards it drafts instead.

Each sentence is the text's own. A card here would cut a name at a possessive, end a gloss at a
comma inside it, put a kind's definition under a thing of that kind, take a relation to someone
for what a person is, ask about a thing named in a sentence before ("the same year", "the
island", "he"), or hide a side detail no one would ask for (a locator, a clause's aside, the
second of a pair, an acronym beside its own words).
"""

from __future__ import annotations

from draft_helpers import clozed, drafted

from studykit.ingest.definition_text import Definition
from studykit.ingest.definitions import defined_in
from studykit.ingest.draft_notes import draft_reading
from studykit.ingest.sections import PlannedSection


def test_no_cloze_cuts_a_name_at_its_possessive() -> None:
    draft = drafted(
        "Charlotte, Emily and Anne Brontë were the daughters of Patrick Brontë, an Irish "
        "clergyman who had studied at St John's College, Cambridge. "
        "Patrick Brontë moved the family to Haworth in 1820."
    )
    assert not any("{{St John}}" in p or "{{College}}" in p for p in draft.points)
    assert "Patrick Brontë moved the family to Haworth in {{1820}}." in clozed(draft)


def test_a_gloss_with_a_comma_inside_defines_nothing() -> None:
    # Not "a novel about a woman who leaves her violent": the gloss goes on after its comma.
    sentence = (
        "In 1848 Anne published The Tenant of Wildfell Hall, a novel about a woman who leaves "
        "her violent, drunken husband."
    )
    assert defined_in(sentence, set()) == []


def test_a_gloss_that_closes_before_a_phrase_still_defines() -> None:
    sentence = (
        "The merchants traded at Lübeck, a port on the Baltic coast, in the thirteenth century."
    )
    assert defined_in(sentence, set()) == [Definition("Lübeck", "a port on the Baltic coast")]


def test_a_gloss_that_a_relative_clause_goes_on_from_defines_nothing() -> None:
    # The relative clause may go on describing the name, and then the gloss misses what it is.
    sentence = (
        "The winner was Tit for Tat, a strategy submitted by the psychologist Anatol Rapoport "
        "of the University of Toronto, which cooperates on the first move and then copies "
        "whatever the opponent did on the previous move."
    )
    assert defined_in(sentence, set()) == []


def test_a_rank_in_a_gloss_is_no_definition() -> None:
    sentence = "Robert Southey, the third of the Lake Poets, was born in Bristol in 1774."
    assert defined_in(sentence, set()) == []


def test_a_term_after_an_article_and_a_name() -> None:
    sentence = (
        "A Nash equilibrium is a set of strategies in which no player can gain by changing his "
        "own strategy while the others keep theirs."
    )
    assert defined_in(sentence, set()) == [
        Definition(
            "Nash equilibrium",
            "a set of strategies in which no player can gain by changing his own strategy while "
            "the others keep theirs",
        )
    ]
    assert clozed(drafted(sentence)) == []


def test_a_kind_glossed_in_a_definition_is_the_term() -> None:
    sentence = (
        "Jane Eyre is a Bildungsroman, a novel that follows the growth of its hero from "
        "childhood to maturity."
    )
    assert defined_in(sentence, set()) == [
        Definition(
            "Bildungsroman",
            "a novel that follows the growth of its hero from childhood to maturity",
        )
    ]


def test_a_relation_to_someone_is_no_definition() -> None:
    sentence = (
        "The novelist Elizabeth Gaskell, a friend of Charlotte, published The Life of "
        "Charlotte Brontë in 1857."
    )
    assert defined_in(sentence, set()) == []


def test_a_gloss_of_a_thing_named_before_is_no_definition() -> None:
    sentence = (
        "German merchants on the island of Gotland formed a community at Visby, the chief town "
        "of the island, in the twelfth century."
    )
    assert defined_in(sentence, set()) == []


def test_no_card_on_a_time_or_people_counted_before() -> None:
    draft = drafted(
        "Bardeen, Brattain and Shockley worked at Bell Labs in New Jersey. "
        "The three men shared the Nobel Prize in Physics in 1956. "
        "Thomas Cautley Newby published Emily's Wuthering Heights and Anne's Agnes Grey in "
        "December of the same year."
    )
    assert draft.questions == ()
    assert not any("1956" in p or "Newby" in p for p in clozed(draft))


def test_no_card_where_he_stands_for_a_name_outside() -> None:
    draft = drafted(
        "Milton Friedman argued that inflation is always a monetary phenomenon. "
        "With Anna Schwartz he wrote A Monetary History of the United States, published in "
        "1963, which blamed the Federal Reserve for the Great Depression."
    )
    assert not any("1963" in p for p in clozed(draft))
    # A name that opens the sentence is who "he" is: that card stays.
    draft = drafted(
        "Peng Dehuai criticised the campaign at the Lushan Conference in 1959, and he was purged."
    )
    assert clozed(draft) == [
        "Peng Dehuai criticised the campaign at the Lushan Conference in {{1959}}, and he was "
        "purged."
    ]


def test_no_cloze_on_an_acronym_beside_its_words() -> None:
    draft = drafted(
        "The most familiar measure is the consumer price index (CPI), which tracks the cost of "
        "a fixed basket of goods bought by a typical household."
    )
    assert not any("{{CPI}}" in p for p in draft.points)


def test_no_cloze_on_a_side_detail() -> None:
    draft = drafted(
        "Flanders and England sent woollen cloth, and the Bay of Bourgneuf in France sent salt. "
        "The London post, called the Steelyard, stood on the north bank of the Thames near "
        "where Cannon Street station stands today. "
        "Agnes Grey draws on Anne's own years as a governess with the Ingham family at Blake "
        "Hall and the Robinson family at Thorp Green. "
        "Historians such as Philippe Dollinger, whose book The German Hansa appeared in 1964, "
        "have described the League as a trading network that worked without a state."
    )
    points = " ".join(clozed(draft))
    for detail in ("{{France}}", "{{Cannon Street}}", "{{Thorp Green}}", "{{1964}}"):
        assert detail not in points, points


def test_no_cloze_on_half_a_name_at_a_dash_or_before_a_possessive() -> None:
    draft = drafted(
        "The Heckscher–Ohlin model predicts that a country exports goods that use its abundant "
        "factors of production intensively. "
        "Faraday's law states that the emf induced in a circuit is equal to the rate of change "
        "of the magnetic flux through it."
    )
    assert clozed(draft) == []


def test_the_noun_after_a_named_one_is_no_term() -> None:
    draft = drafted(
        "Heinrich Lenz stated Lenz's law in 1834. "
        "The law is a consequence of the conservation of energy: if the induced current aided "
        "the change, a small push on a magnet would produce unlimited energy."
    )
    assert draft.terms == ()


def test_a_rank_is_no_definition_nor_a_term_another_term_holds() -> None:
    assert (
        defined_in(
            "Anaphase is the shortest phase of mitosis and usually lasts only a few minutes.", set()
        )
        == []
    )
    draft = drafted(
        "Electromagnetic induction is the production of a voltage across a conductor in a "
        "changing magnetic field. "
        "Induction is the process by which most electrical machinery turns motion into current."
    )
    assert [term for term, _ in draft.terms] == ["Electromagnetic induction"]


def test_no_question_from_a_dangling_participle_or_a_reported_reason() -> None:
    draft = drafted("Adam Smith attacked mercantilism in The Wealth of Nations, published in 1776.")
    assert draft.questions == ()
    draft = drafted(
        "Paul Krugman proposed in 1979 that much trade takes place between similar countries "
        "because consumers value variety and firms gain from economies of scale."
    )
    assert not any(q.startswith("Why") for q, _ in draft.questions)


def test_no_cloze_on_a_figure_no_one_recalls_a_dated_aside_or_boilerplate() -> None:
    draft = drafted(
        "From his equations Maxwell calculated that electromagnetic waves travel at about "
        "310,740 kilometres per second, close to the measured speed of light. "
        "As of May 13th, 2001, the last public release of the Filesystem Hierarchy Standard "
        "proposed the root of the manual page hierarchy as the usr share folder. "
        "The GNU MP Library is distributed in the hope that it will be useful, but WITHOUT ANY "
        "WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS. "
        "In the 1930s two Swedish economists, Eli Heckscher and Bertil Ohlin, explained it by "
        "differences in resources instead."
    )
    assert clozed(draft) == []


def test_no_cloze_on_a_name_its_address_gives_away_or_a_place_after_a_name() -> None:
    draft = drafted(
        "The current maintainer of man-db is Colin Watson <cjwatson@debian.org>. "
        "Michael Faraday, the son of a London blacksmith, had begun his career as an assistant "
        "to Humphry Davy at the Royal Institution."
    )
    points = " ".join(clozed(draft))
    assert "{{Colin Watson}}" not in points and "{{Royal Institution}}" not in points, points


def test_a_name_is_hidden_where_the_sentence_is_about_it_not_where_it_is_a_detail() -> None:
    draft = drafted(
        "Almost all life on Earth depends on it, directly or indirectly, and it is the source "
        "of nearly all the oxygen in the atmosphere. "
        "Pareto efficiency, named after the Italian economist Vilfredo Pareto, is a state in "
        "which no one can be made better off without making someone else worse off. "
        "The enzyme RuBisCO (ribulose-1,5-bisphosphate carboxylase/oxygenase) fixes carbon "
        "dioxide by attaching it to a five-carbon sugar. "
        "Any subsequent GET to that URI will return the value from the on-disk cache and no "
        "request will be made to the server. "
        "Lord Byron dedicated Don Juan to him in mocking verses, and Percy Bysshe Shelley "
        "regarded all three Lake Poets as traitors to the ideals of their youth. "
        "Leland Hartwell identified genes that control the cycle in baker's yeast, and Paul "
        "Nurse found the gene cdc2 in fission yeast."
    )
    assert clozed(draft) == [
        "{{Leland Hartwell}} identified genes that control the cycle in baker's yeast, and "
        "Paul Nurse found the gene cdc2 in fission yeast."
    ]


def test_a_glossary_list_of_a_web_page_gives_terms() -> None:
    from studykit.ingest.webpage import parse_html

    page = (
        "<html><body><h1>Bretton Woods</h1><h2>Glossary</h2><dl>"
        "<dt>Devaluation</dt><dd>A deliberate reduction in the official value of a currency "
        "against other currencies or gold.</dd>"
        "<dt>Special Drawing Rights (SDR)</dt><dd>An international reserve asset created by the "
        "IMF in 1969 to supplement gold and dollars.</dd></dl></body></html>"
    )
    items, _, _ = parse_html(page)
    (glossary,) = [i for i in items if getattr(i, "text", "").startswith("- **")]
    draft = drafted(glossary.text)  # type: ignore[attr-defined]
    assert draft.terms == (
        (
            "Devaluation",
            "a deliberate reduction in the official value of a currency against other "
            "currencies or gold",
        ),
        (
            "Special Drawing Rights (SDR)",
            "an international reserve asset created by the IMF in 1969 to supplement gold and "
            "dollars",
        ),
    )
    assert clozed(draft) == [], "a gloss without its term is no point"


def test_no_card_whose_subject_is_a_pronoun_after_an_opening_word() -> None:
    draft = drafted(
        "Each kidney holds about a million nephrons. "
        "Together they filter the entire volume of blood plasma about 60 times a day."
    )
    assert clozed(draft) == []


def test_a_question_spells_the_verb_of_an_nce_or_nse_past() -> None:
    from studykit.ingest.questions import base_form

    draft = drafted("President Richard Nixon announced the end of gold convertibility in 1971.")
    assert [q for q, _ in draft.questions] == [
        "When did President Richard Nixon announce the end of gold convertibility?"
    ]
    past = "renounced advanced financed pronounced sensed licensed balanced"
    assert [base_form(verb) for verb in past.split()] == [
        "renounce", "advance", "finance", "pronounce", "sense", "license", "balance",
    ]  # fmt: skip


def test_a_definition_that_runs_on_into_a_second_clause_is_no_term() -> None:
    sentence = (
        "A beta particle is a fast electron emitted from a nucleus, and a few millimetres of "
        "aluminium stop it."
    )
    assert defined_in(sentence, set()) == []


def test_the_topic_in_emphasis_is_no_answer() -> None:
    (draft,) = draft_reading(
        [
            PlannedSection(
                1,
                "one",
                "Introduction",
                (
                    "__Zstandard__, or `zstd` as short version, is a fast lossless compression "
                    "algorithm.",
                    "Zstandard is currently deployed within Facebook and many other large cloud "
                    "infrastructures.",
                ),
                headed=True,
            )
        ]
    )
    assert clozed(draft) == []


def test_no_card_on_a_sentence_that_goes_on_from_the_one_before() -> None:
    draft = drafted(
        "The defenders numbered only about 7,000. "
        "Among them were 700 Genoese soldiers led by Giovanni Giustiniani, a professional "
        "commander who took charge of the land walls. "
        "Coral bleaching struck reefs worldwide in 1998. "
        "Further global events followed in 2010 and from 2014 to 2017. "
        "The sublime became a keyword of eighteenth-century taste. "
        "Edmund Burke analysed it in A Philosophical Enquiry into the Origin of Our Ideas of the "
        "Sublime and Beautiful, published in 1757. "
        "Byron proposed that each member of the group write a ghost story."
    )
    points = " ".join(clozed(draft))
    for hidden in ("{{Giovanni Giustiniani}}", "{{2010}}", "{{1757}}"):
        assert hidden not in points, points
    assert not any("the group" in q for q, _ in draft.questions), draft.questions


def test_no_card_on_half_a_range_a_term_itself_or_a_role_in_a_company() -> None:
    draft = drafted(
        "In France, Jean-Baptiste Colbert, the finance minister of Louis XIV from 1665 to 1683, "
        "gave his name to a version of the doctrine called Colbertism. "
        "Estimates suggest that plants pass between 4 and 20 percent of the carbon they fix to "
        "their fungal partners. "
        "The term itself was popularised by its critics, and Adam Smith attacked the mercantile "
        "system in 1776."
    )
    points = " ".join(clozed(draft))
    for hidden in ("{{1665}}", "{{1683}}", "{{20 percent}}", "{{4}}", "{{1776}}"):
        assert hidden not in points, points
    sentence = (
        "Thomas Mun, a director of the English East India Company, argued in England's "
        "Treasure by Forraign Trade that the whole of a nation's trade mattered more."
    )
    assert defined_in(sentence, set()) == []


def test_no_when_question_where_the_date_may_belong_to_a_participle() -> None:
    draft = drafted(
        "Suspicion fell on Captain Alfred Dreyfus, a graduate of the École Polytechnique born "
        "in Mulhouse, Alsace, in 1859."
    )
    assert draft.questions == ()
    draft = drafted("A court-martial sat in closed session in December 1894.")
    assert [q for q, _ in draft.questions] == ["When did a court-martial sit in closed session?"]


def test_no_card_on_a_locator_a_role_a_gloss_s_detail_a_range_or_a_worked_example() -> None:
    draft = drafted(
        "In the years after the American Revolution, the lands west of the Appalachian "
        "Mountains were rich but almost impossible to reach. "
        "The second was the Niagara Escarpment, a steep ridge of rock near Lockport. "
        "To climb it, Nathan Roberts designed a flight of five double locks, known as the "
        "Lockport Five, which lifted boats about sixty feet. "
        "The cost of shipping a ton of goods from Buffalo to New York fell from about 100 "
        "dollars to about 10 dollars, and the journey shrank from several weeks to eight days. "
        "Warfarin, a drug first sold as a rat poison in 1948, blocks the recycling of vitamin K "
        "in the liver. "
        "Suppose the price of a coffee rises from 2.00 to 2.20 dollars, a rise of 10 percent, "
        "and the number of cups sold falls by 5 percent."
    )
    points = " ".join(clozed(draft))
    for hidden in (
        "{{Appalachian Mountains}}", "{{Nathan Roberts}}", "{{100}}", "{{1948}}", "{{10}}",
    ):  # fmt: skip
        assert hidden not in points, points
    for sentence in (
        "Canvass White, a young assistant, travelled to England in 1817 to study British canals.",
        "Alexei Nikolaevich, the heir to the Russian throne, inherited it through his mother.",
    ):
        assert defined_in(sentence, set()) == [], sentence


def test_no_card_on_an_era_joined_to_a_name_a_range_end_or_what_followed() -> None:
    draft = drafted(
        "Athens and Sparta fought for decades across the Greek world. "
        "In 418 BC Sparta defeated Argos and its allies at the Battle of Mantinea, the largest "
        "land battle of the war. "
        "The Fourth Anglo-Dutch War of 1780 to 1784 cost the company much of its shipping. "
        "The Athenians won a great naval victory at Arginusae in 406 BC. "
        "Afterwards the assembly executed six of the victorious generals because they had "
        "failed to rescue sailors from the wrecked ships during a storm. "
        "Galileo built his own instrument within a few weeks. "
        "Later in 1610 he observed the phases of Venus, which showed that Venus orbits the Sun."
    )
    points = " ".join(clozed(draft))
    for hidden in ("{{BC Sparta}}", "{{1784}}", "{{1780}}", "{{1610}}"):
        assert hidden not in points, points
    assert not any(q.startswith("Why did afterwards") for q, _ in draft.questions)


def test_a_persons_post_or_origin_is_no_term() -> None:
    for sentence in (
        "Galileo Galilei, a professor of mathematics at the University of Padua, heard of the "
        "invention in 1609 and built his own instrument within a few weeks.",
        "William Herschel, a musician from Hanover who settled in Bath, ground hundreds of such "
        "mirrors himself.",
    ):
        assert defined_in(sentence, set()) == [], sentence
    # A thing's gloss still defines it.
    sentence = "The Shelterbelt Project, a plan to plant trees across the plains, began in 1934."
    assert defined_in(sentence, set()) == [
        Definition("Shelterbelt Project", "a plan to plant trees across the plains")
    ]


def test_a_gloss_that_a_list_goes_on_from_and_a_persons_origin_define_nothing() -> None:
    for sentence in (
        "Law's System, the scheme that joined the bank, the company and the royal debt, let "
        "holders of government bonds exchange them for company shares.",
        "Toussaint Louverture, a formerly enslaved coachman from the Bréda plantation, joined "
        "the rebellion in 1791 and soon became its most capable commander.",
    ):
        assert defined_in(sentence, set()) == [], sentence


def test_no_question_from_a_participle_taken_for_the_verb_and_names_keep_their_capital() -> None:
    draft = drafted(
        "In 2022 a young godwit tagged in Alaska flew 13,560 kilometres without stopping in "
        "eleven days."
    )
    assert draft.questions == ()
    draft = drafted(
        "Hermann von Helmholtz gave the general principle of conservation of energy its "
        "clearest form in 1847."
    )
    assert [q for q, _ in draft.questions] == [
        "When did Hermann von Helmholtz give the general principle of conservation of energy "
        "its clearest form?"
    ]


def test_no_cloze_on_a_place_in_an_example() -> None:
    draft = drafted(
        "Habitat loss at staging sites, such as the reclamation of the tidal flats of the "
        "Yellow Sea, removes the places where migrants refuel."
    )
    assert clozed(draft) == []


def test_no_card_after_the_following_year_inside_brackets_or_from_a_comparison() -> None:
    draft = drafted(
        "Heinrich Hertz first observed the effect in 1887. "
        "The following year Wilhelm Hallwachs showed that a negatively charged zinc plate lost "
        "its charge when it was lit with ultraviolet light. "
        "IJG is not affiliated with the ISO/IEC JTC1/SC29/WG1 standards committee (also known "
        "as JPEG, together with ITU-T SG16)."
    )
    points = " ".join(clozed(draft))
    assert "{{Wilhelm Hallwachs}}" not in points and "{{ITU-T SG16}}" not in points, points
    sentence = "Gaius was a more skilled orator and a more ambitious legislator than his brother."
    assert defined_in(sentence, set()) == []


def test_no_card_on_some_of_them_such_things_a_bare_the_subject_or_a_third_of_the_group() -> None:
    draft = drafted(
        "About 1,350 volcanoes have erupted in the last 10,000 years. "
        "Most of them sit along the edges of tectonic plates, and roughly three quarters of them "
        "ring the Pacific Ocean in a belt known as the Ring of Fire. "
        "A pyroclastic flow is a fast-moving current of hot gas and rock. "
        "In 79 AD such flows buried the Roman towns of Pompeii and Herculaneum during the "
        "eruption of Mount Vesuvius. "
        "The Salon was the official exhibition held in Paris. "
        "In 1863 the jury rejected more than 3,000 works. "
        "Marie Bracquemond, a third woman of the group, was largely self-taught."
    )
    points = " ".join(clozed(draft))
    for hidden in ("{{Pacific Ocean}}", "{{Mount Vesuvius}}", "{{Marie Bracquemond}}"):
        assert hidden not in points, points
    assert not any("the jury" in q for q, _ in draft.questions), draft.questions
    sentence = (
        "Johannes Gutenberg, a goldsmith from Mainz, developed a system of printing with "
        "movable metal type around 1440."
    )
    assert defined_in(sentence, set()) == []
