"""Cards ingest must not draft from sentences of a history of pollination, of the Reformation,
of central banks and of the Harlem Renaissance, and the cards it drafts instead.

Each sentence is the text's own. A card here would leave a student asking whose or what: a
possessive or an object pronoun for something named in a sentence before ("copies of his
writings", "Tetzel preached it"), or a "the <thing>" that ends it ("its tongue fits the spur").
Or it would hide a study's author or year instead of its finding, a vague decade, or a year that
only dates a work the sentence is about. Terms: what an author marks (a web page's <dfn>, a bold
term with its gloss, "... is called X") is defined; what a thing was in its time is not.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Runner
from draft_helpers import asked, clozed, drafted

from studykit.ingest.cloze_choice import _cloze
from studykit.ingest.definition_text import Definition
from studykit.ingest.definitions import defined_in
from studykit.ingest.draft_notes import draft_reading
from studykit.ingest.names import NameFinder
from studykit.ingest.sections import PlannedSection, title_without_images


def test_no_card_where_a_possessive_or_an_object_stands_for_something_before() -> None:
    draft = drafted(
        "In 1517 Pope Leo X renewed the sale of indulgences in Germany. "
        "The Dominican friar Johann Tetzel preached it in the lands near Wittenberg with "
        "remarkable success. "
        "Historians estimate that about 300,000 copies of his writings were sold between 1517 "
        "and 1520. "
        "Ben Bernanke, who led the Federal Reserve from 2006 to 2014, defended them as necessary "
        "to prevent a second Great Depression."
    )
    assert clozed(draft) == ["In {{1517}} Pope Leo X renewed the sale of indulgences in Germany."]
    assert draft.questions == ()


def test_a_possessive_whose_owner_the_sentence_names_is_a_card() -> None:
    draft = drafted(
        "Langston Hughes drew on the rhythms of jazz, and his essay appeared in The Nation in "
        "1926. "
        "New Zealand adopted inflation targeting in 1990, and its central bank was the first to "
        "announce a numerical target."
    )
    assert clozed(draft) == [
        "Langston Hughes drew on the rhythms of jazz, and his essay appeared in The Nation in "
        "{{1926}}.",
        "New Zealand adopted inflation targeting in {{1990}}, and its central bank was the "
        "first to announce a numerical target.",
    ]


def test_no_cloze_on_a_sentence_that_ends_on_a_thing_named_before() -> None:
    sentence = (
        "The hawk moth Xanthopan morganii praedicta was described in 1903, twenty-one years "
        "after Darwin's death, and its tongue fits the spur."
    )
    assert clozed(drafted(sentence)) == []
    # A preposition's or a particle's "the" is a setting or a phrase of its own.
    kept = "The Homestead Act of 1862 opened the plains to farmers, who ploughed up the grass."
    assert clozed(drafted(kept)) == [kept.replace("1862", "{{1862}}")]


def test_a_studys_author_and_year_are_no_cloze_its_finding_is_the_fact() -> None:
    draft = drafted(
        "A study published by Nickolas Waser and colleagues in 1996 found that many plants are "
        "visited by a broad range of animals. "
        "Roughly three quarters of the leading food crops depend at least in part on animal "
        "pollination, according to a 2007 review led by Alexandra-Maria Klein. "
        "A 2013 study led by Lucas Garibaldi, covering 41 crop systems worldwide, found that "
        "wild insects improved fruit set in every system."
    )
    assert clozed(draft) == []


def test_no_cloze_on_a_vague_decade_or_a_year_that_dates_a_work() -> None:
    draft = drafted(
        "Charlotte Osgood Mason, a wealthy widow, supported Hughes and Hurston in the late "
        "1920s but demanded control over their work. "
        "The novelist Carl Van Vechten promoted Black writers to white publishers, yet his 1926 "
        "novel Nigger Heaven angered many in Harlem."
    )
    assert clozed(draft) == [
        "The novelist {{Carl Van Vechten}} promoted Black writers to white publishers, yet his "
        "1926 novel Nigger Heaven angered many in Harlem."
    ]
    # A decade as such is a time a student recalls.
    during = "During the 1930s the southern Great Plains suffered a series of dust storms."
    assert clozed(drafted(during)) == [during.replace("1930s", "{{1930s}}")]


def test_a_summary_does_not_lean_on_a_book_or_a_person_named_before() -> None:
    draft = drafted(
        "In the same book he examined the Madagascar star orchid, whose nectar lies at the "
        "bottom of a spur 30 centimetres long. "
        "The Edict of Worms, issued in May 1521, declared him an outlaw. "
        "Writers of the 1950s and 1960s built on its achievements."
    )
    assert draft.summary is None


def test_marked_terms_are_defined_and_a_time_is_no_definition() -> None:
    lowercase = {"pollinator", "organisms"}
    assert defined_in(
        "It conducts **monetary policy**, the management of interest rates and the money "
        "supply to keep prices stable.",
        lowercase,
    ) == [
        Definition(
            "monetary policy",
            "the management of interest rates and the money supply to keep prices stable",
        )
    ]
    assert defined_in(
        "An animal that carries pollen from one flower to another is called a pollinator.",
        lowercase,
    ) == [Definition("pollinator", "an animal that carries pollen from one flower to another")]
    assert defined_in(
        "Organisms that make their own food from light are known as autotrophs.", lowercase
    ) == [Definition("autotrophs", "organisms that make their own food from light")]
    for nothing in (
        "Jazz was the sound of the era.",
        "This rule is still called Bagehot's dictum.",
        "The second stage is called anaphase.",
        "The energy released by the reaction is called activation energy.",
        "Thomas Müntzer, a preacher who had once followed Luther, joined the rebels of the "
        "German Peasants' War of 1524–1525.",
    ):
        assert defined_in(nothing, lowercase) == [], nothing


def test_a_glossary_gloss_keeps_its_list_and_an_acronym_the_heading_spells_is_no_term() -> None:
    glossary = drafted(
        "- **Central bank**: a public institution that manages a country's currency, money "
        "supply and interest rates.",
        title="Glossary",
    )
    assert glossary.terms == (
        (
            "Central bank",
            "a public institution that manages a country's currency, money supply and interest "
            "rates",
        ),
    )
    spelled = drafted(
        "The European Central Bank (ECB) was founded in Frankfurt on 1 June 1998.",
        title="The European Central Bank",
    )
    assert spelled.terms == ()


def test_a_web_pages_dfn_is_a_term_and_a_linked_title_is_its_words(
    tmp_path: Path, run: Runner
) -> None:
    page = tmp_path / "banks.html"
    page.write_text(
        "<html><body><h1>Central Banks</h1><h2>Tasks</h2><p>A modern central bank has three "
        "main tasks. It acts as the <dfn>lender of last resort</dfn>, the institution that "
        "lends to sound banks when no one else will. An empty <dfn></dfn> marks nothing.</p>"
        "</body></html>",
        "utf-8",
    )
    result = run("ingest", str(page), "--notes", str(tmp_path / "notes"))
    assert result.exit_code == 0, result
    section = yaml.safe_load((tmp_path / "notes/banks/01-tasks.yaml").read_text("utf-8"))
    assert section["terms"] == [
        {
            "term": "lender of last resort",
            "definition": "the institution that lends to sound banks when no one else will",
        }
    ]
    assert "An empty marks nothing." in section["excerpt"]
    assert title_without_images("[libcbor](https://github.com/PJK/libcbor)") == "libcbor"


def test_a_decade_is_asked_only_as_the_sentences_setting_and_a_works_year_not_at_all() -> None:
    sentences = [
        "George Wald of Harvard University showed in the 1930s that retinal is made from "
        "vitamin A.",
        "Galileo Galilei argued in his Dialogue Concerning the Two Chief World Systems of 1632 "
        "that the tides were caused by the motion of the Earth.",
        "The Sihwa Lake Tidal Power Station in South Korea, opened in 2011, is now the largest "
        "in the world.",
        "Hardin borrowed the example from William Forster Lloyd, an Oxford economist, in 1968.",
    ]
    names = NameFinder([sentences], {"hardin"}, set())
    # The person is asked, without the institution he was "of"; no work's year, no year in a
    # participle's aside, nothing after "the example" (which one?).
    assert [_cloze(s, names, set()) for s in sentences] == [
        (
            "{{George Wald}} of Harvard University showed in the 1930s that retinal is made "
            "from vitamin A.",
            True,
        ),
        (
            "{{Galileo Galilei}} argued in his Dialogue Concerning the Two Chief World Systems "
            "of 1632 that the tides were caused by the motion of the Earth.",
            True,
        ),
        (
            "The {{Sihwa Lake Tidal Power Station}} in South Korea, opened in 2011, is now the "
            "largest in the world.",
            True,
        ),
        (sentences[3], False),
    ]


def test_terms_after_an_article_a_rank_and_an_imperative() -> None:
    assert defined_in(
        "The **lens** is a flexible, transparent body held in place by the ciliary muscle.", set()
    ) == [Definition("lens", "a flexible, transparent body held in place by the ciliary muscle")]
    assert defined_in(
        "Tidal locking is the state in which a body's rotation period equals its orbital "
        "period, so that it always shows the same face to its partner.",
        {"tidal"},
    ) == [
        Definition(
            "tidal locking", "the state in which a body's rotation period equals its orbital period"
        )
    ]
    assert defined_in("The opening at the centre of the iris is called the pupil.", set()) == [
        Definition("pupil", "the opening at the centre of the iris")
    ]
    for nothing in (
        "The Mughal Empire was one of the largest states in the early modern world.",
        "Please refer to https://www.openssh.com/list.html for details on how to join.",
    ):
        assert defined_in(nothing, set()) == [], nothing
    # The reading's topic glossed in a few words is no card.
    (eye,) = draft_reading(
        [PlannedSection(1, "one", "One", ("The eye is the organ of vision.",), headed=True)],
        title="The Vertebrate Eye",
    )
    assert eye.terms == ()


def test_a_signature_is_no_heading_and_a_headings_dangling_dash_goes(
    tmp_path: Path, run: Runner
) -> None:
    readme = tmp_path / "README"
    readme.write_text(
        "Portable OpenSSH\n\nOpenSSH is a complete implementation of the SSH protocol.\n\n"
        "Damien Miller <djm@mindrot.org>\n\nMiscellania -\n\nThis version of OpenSSH is based "
        "upon code retrieved from the OpenBSD CVS repository.\n",
        "utf-8",
    )
    result = run("ingest", str(readme), "--format", "txt", "--notes", str(tmp_path / "n"))
    assert result.exit_code == 0, result
    assert result.stdout.splitlines()[2].split()[:2] == ["02-miscellania.yaml", "Miscellania"]
    assert "Damien" not in result.stdout.split("\n", 3)[2], result.stdout


def test_a_gloss_with_a_list_inside_is_whole_or_nothing() -> None:
    assert defined_in(
        "The most pressing problem was the **dollar gap**, the shortage of US dollars that "
        "prevented European countries from paying for the American food, fuel and machinery "
        "they needed.",
        set(),
    ) == [
        Definition(
            "dollar gap",
            "the shortage of US dollars that prevented European countries from paying for the "
            "American food, fuel and machinery they needed",
        )
    ]
    # "serves two functions": which two, the next sentences say.
    assert (
        defined_in(
            "The pancreas is a gland that lies behind the stomach and serves two functions.",
            {"pancreas"},
        )
        == []
    )


def test_a_wrapped_list_item_is_one_sentence() -> None:
    draft = drafted(
        "- **Type 1 diabetes**: a form in which the immune system destroys the beta cells, so "
        "that the body\n  makes little or no insulin.\n"
        "- **Gestational diabetes**: a form that first appears during pregnancy.",
        title="Diabetes",
    )
    assert draft.terms == (
        ("Type 1 diabetes", "a form in which the immune system destroys the beta cells"),
        ("Gestational diabetes", "a form that first appears during pregnancy"),
    )


def test_no_question_of_who_published_a_figure_and_no_hedge_left_dangling() -> None:
    questions = asked(
        "The International Diabetes Federation estimated in 2021 that 537 million adults were "
        "living with diabetes. Congress passed the Economic Cooperation Act in April 1948, "
        "partly because the Communist coup in Czechoslovakia had alarmed American lawmakers."
    )
    assert [q.q for q in questions] == [
        "Why did Congress pass the Economic Cooperation Act in April 1948?"
    ]


def test_no_cloze_on_a_name_that_sets_the_time_or_after_a_kind_named_before() -> None:
    sentences = [
        "Two years after the end of the Second World War, much of Europe was still in ruins.",
        "The city grew by reclaiming land from the lake, and by 1500 it housed 150,000 people.",
    ]
    names = NameFinder([sentences], {"much"}, set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]


def test_a_row_of_labelled_badges_is_left_out(tmp_path: Path, run: Runner) -> None:
    readme = tmp_path / "README"
    readme.write_text(
        "jq\n==\n\njq is a lightweight and flexible command-line JSON processor.\n\n"
        "[![Coverage](https://coveralls.io/x/badge.svg)](https://coveralls.io/x),\n"
        "Unix: [![Build Status](https://travis-ci.org/x.svg)](https://travis-ci.org/x),\n"
        "Windows: [![Windows build](https://ci.appveyor.com/x?svg=true)](https://ci.appveyor.com/y)"
        "\n\nIt is written in portable C.\n",
        "utf-8",
    )
    result = run("ingest", str(readme), "--format", "md", "--notes", str(tmp_path / "n"))
    assert result.exit_code == 0, result
    (section,) = (tmp_path / "n/readme").glob("01-*.yaml")
    text = section.read_text("utf-8")
    assert "Build Status" not in text and "It is written in portable C." in text, text


def test_no_cloze_on_half_a_title_a_name_said_again_or_a_noun_of_a_place() -> None:
    sentences = [
        "Wyatt translated and adapted several of Petrarch's poems, including \"Whoso List to "
        'Hunt", which many readers take to refer to Anne Boleyn.',
        "Francesco Petrarca, known in English as Petrarch, made the form famous with the 317 "
        "sonnets of his Canzoniere.",
        "Land organisms glow in a wider range of colours: fireflies emit yellow-green light, "
        "and the railroad worm of South America shows red and green lights.",
        "The trials that followed, known as the Bloody Assizes, were presided over by Judge "
        "George Jeffreys and ended in roughly 250 executions.",
        "Osamu Shimomura, Martin Chalfie and Roger Tsien shared the Nobel Prize in Chemistry in "
        "2008 for its discovery and development.",
        "Roger Myerson and, separately, John Riley and William Samuelson proved the general "
        "result in 1981.",
    ]
    names = NameFinder([sentences], {"land"}, set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]
    quoted = 'Claude McKay published the sonnet "If We Must Die" in 1919.'
    names = NameFinder([[quoted]], set(), set())
    assert _cloze(quoted, names, set()) == (quoted.replace("1919", "{{1919}}"), True)


def test_no_term_for_a_persons_first_name_or_the_texts_own_kind_and_no_count_asked() -> None:
    for nothing in (
        "James was an open Roman Catholic in a kingdom whose church and Parliament were firmly "
        "Protestant.",
        "A file is a series of declarations.",
    ):
        assert defined_in(nothing, {"file"}) == [], nothing
    assert asked("John Keats wrote sixty-four sonnets.") == []


def test_a_bold_gloss_closes_at_its_comma_unless_a_list_goes_on() -> None:
    assert defined_in(
        "A **catalyst**, a substance that speeds up a reaction without being used up by it, "
        "lowers the energy a reaction needs to get started.",
        set(),
    ) == [
        Definition("catalyst", "a substance that speeds up a reaction without being used up by it")
    ]
    assert defined_in(
        "A **daimyo**, a lord holding a domain worth at least 10,000 koku of rice, ruled his own "
        "lands.",
        set(),
    ) == [Definition("daimyo", "a lord holding a domain worth at least 10,000 koku of rice")]
    assert (
        defined_in("The period of repression that followed is called the Reign of Terror.", set())
        == []
    )


def test_no_cloze_on_a_year_of_the_title_an_aside_or_a_clause_without_its_that() -> None:
    sentences = (
        "On 9 November 1799, the coup of 18 Brumaire, the general overthrew the Directory.",
        "Matsuo Bashō perfected the haiku and wrote The Narrow Road to the Deep North after a "
        "journey he began in 1689.",
        "Many drugs work by inhibiting enzymes: aspirin, first sold by Bayer in 1899, blocks the "
        "enzyme cyclooxygenase.",
    )
    for sentence in sentences:
        (draft,) = draft_reading(
            [PlannedSection(1, "one", "One", (sentence,), headed=True)],
            title="The French Revolution, 1789-1799",
        )
        assert clozed(draft) == [], draft.points


def test_underlined_headings_may_end_in_a_colon_and_a_sentences_start_is_none(
    tmp_path: Path, run: Runner
) -> None:
    readme = tmp_path / "README"
    readme.write_text(
        "Mawk is an interpreter for the AWK language.\n\n"
        "Send bug reports, comments, questions, etc. to\n\n    someone@example.org\n\n"
        "Portability:\n------------\n\nIt builds on several POSIX-style platforms.\n\n"
        "Options:\n--------\n\nIt takes the options of POSIX awk.\n",
        "utf-8",
    )
    result = run("ingest", str(readme), "--format", "txt", "--notes", str(tmp_path / "n"))
    assert result.exit_code == 0, result
    listed = result.stdout.splitlines()[1:4]
    assert [line.split()[1] for line in listed] == ["Introduction", "Portability", "Options"]


def test_no_cloze_after_a_time_counted_from_before_or_on_a_verb_missing_its_object() -> None:
    sentences = [
        "Baden and Nassau joined in 1835, and Frankfurt followed in 1836.",
        "Two centuries later the German botanist Erwin Bünning showed that the period of the "
        "leaf movements of bean plants was inherited.",
        "In 2001 Ying-Hui Fu and Louis Ptáček traced the syndrome in one family to a mutation "
        "in the human gene PER2.",
    ]
    names = NameFinder([sentences], set(), set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]
    signed = "The Treaty of Paris was signed in April 1815 at the palace of the king."
    names = NameFinder([[signed]], set(), set())
    assert _cloze(signed, names, set())[1]


def test_the_topic_is_no_term_and_a_logo_titles_by_its_words() -> None:
    (avahi,) = draft_reading(
        [
            PlannedSection(
                1, "one", "One", ("Avahi is a free, LGPL mDNS/DNS-SD implementation.",), True
            )
        ],
        title="Avahi README",
    )
    assert avahi.terms == ()
    logo = "![libsodium](https://raw.github.com/jedisct1/libsodium/master/logo.png)"
    assert title_without_images(logo) == "libsodium"
    assert defined_in(
        'A cue that resets the clock is called a zeitgeber, German for "time giver".', set()
    ) == [Definition("zeitgeber", "a cue that resets the clock")]


def test_round_of_years_a_lone_their_and_the_deaths_make_no_cloze() -> None:
    sentences = [
        "Cholera struck London in 1832, in 1849 and again in 1854.",
        "The Royal Swedish Academy of Sciences noted that their work had become the core of "
        "modern information economics.",
        "William Farr, the statistician at the General Register Office, traced most of the "
        "deaths to water supplied by the East London Waterworks Company.",
    ]
    names = NameFinder([sentences], set(), set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]


def test_terms_a_person_a_works_title_and_marked_terms_inside_a_sentence() -> None:
    for nothing in (
        "Karl von Frisch (1886–1982) was an Austrian zoologist who spent most of his career at "
        "the University of Munich.",
        "Jane Austen wrote Lady Susan, a short novel in letters, in the 1790s, but it was not "
        "published until 1871.",
        "The first topic is the campaign against the Four Pests, launched in 1958.",
    ):
        assert defined_in(nothing, set()) == [], nothing
    assert defined_in(
        "In American slang a **lemon** is a used car with hidden defects that the buyer cannot "
        "see.",
        set(),
    ) == [Definition("lemon", "a used car with hidden defects that the buyer cannot see")]
    assert defined_in(
        "Economists call this **asymmetric information**, a situation in which one party to a "
        "deal knows more than the other.",
        set(),
    ) == [
        Definition(
            "asymmetric information",
            "a situation in which one party to a deal knows more than the other",
        )
    ]
    assert defined_in(
        "The waggle dance is a figure-of-eight dance in which the bee runs straight ahead.",
        {"waggle"},
    ) == [
        Definition("waggle dance", "a figure-of-eight dance in which the bee runs straight ahead")
    ]


def test_a_numbered_heading_may_ask_and_a_clause_with_a_semicolon_is_none(
    tmp_path: Path, run: Runner
) -> None:
    text = tmp_path / "letters.txt"
    text.write_text(
        "The Epistolary Novel\n\n1. Origins\n\nThe form began in 1669 with a book of letters.\n\n"
        "2. Why Letters?\n\nLetters let a writer show a mind at the moment it feels.\n\n"
        "The lists are moderated; see\n\n  https://example.org/lists\n\nfor how to subscribe.\n",
        "utf-8",
    )
    result = run("ingest", str(text), "--notes", str(tmp_path / "n"))
    assert result.exit_code == 0, result
    titles = [line.split("  ")[2] for line in result.stdout.splitlines()[1:3]]
    assert titles == ["Origins", "Why Letters?"], result.stdout
    assert "moderated" not in result.stdout, result.stdout


def test_no_when_of_a_date_a_participle_holds_and_no_cloze_after_the_error() -> None:
    questions = asked(
        "Anthony Trollope wrote six novels set in the imaginary county of Barsetshire, "
        "beginning with The Warden in 1855."
    )
    assert not any(q.q.startswith("When") for q in questions), questions
    corrected = (
        "Pierre-Simon Laplace corrected the error in 1816 by showing that the compressions "
        "heat the air slightly."
    )
    names = NameFinder([[corrected]], set(), set())
    assert _cloze(corrected, names, set()) == (corrected, False)
    assert defined_in(
        "**Node**: a point on a standing wave where the medium does not move.", set()
    ) == [Definition("Node", "a point on a standing wave where the medium does not move")]


def test_an_abbreviation_that_opens_a_later_sentence_stays_with_it() -> None:
    from studykit.ingest.sentences import sentences

    assert sentences("He came. Dr. Smith left. J. Smith came.") == [
        "He came.",
        "Dr. Smith left.",
        "J. Smith came.",
    ]


def test_no_cloze_in_a_worked_condition_or_on_studies_by_and_no_term_for_a_share_or_a_chair() -> (
    None
):
    sentences = [
        "If households spend 80 pence of every extra pound, the marginal propensity to save is "
        "0.2 and the multiplier is 5.",
        "Studies by Valerie Ramey, an economist at the University of California, San Diego, put "
        "most multipliers for the United States between 0.6 and 1.0.",
    ]
    names = NameFinder([sentences], set(), set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]
    for nothing in (
        "The **marginal propensity to save** is the share that is saved.",
        "Christina Romer, the chair of the Council of Economic Advisers, estimated a government "
        "spending multiplier of about 1.6 for the package.",
    ):
        assert defined_in(nothing, set()) == [], nothing


def test_an_anchor_in_a_markdown_heading_is_no_part_of_its_title(
    tmp_path: Path, run: Runner
) -> None:
    readme = tmp_path / "tk.md"
    readme.write_text(
        '# Tk\n\nTk is a toolkit.\n\n## <a id="intro">1.</a> Introduction\n\n'
        "It draws windows on many systems.\n",
        "utf-8",
    )
    result = run("ingest", str(readme), "--notes", str(tmp_path / "n"))
    assert result.exit_code == 0, result
    assert "02-introduction-2.yaml  Introduction  " in result.stdout, result.stdout
    assert "<a" not in result.stdout, result.stdout


def test_round_25_no_card_on_others_the_boy_another_a_question_or_colleagues() -> None:
    sentences = [
        "Others point to trade, or to the search for the deposed Jianwen Emperor, who was "
        "rumoured to have fled overseas.",
        "When Ming armies conquered Yunnan in 1381, the boy was captured and sent to serve Zhu Di.",
        "Another protein, Dsup, binds to DNA; it was identified in 2016 by Takekazu Kunieda.",
        "Why did China, which possessed the largest fleets in the world in 1420, not go on to "
        "dominate the oceans as Portugal and Spain did after 1500?",
        "In 2017 Thomas Boothby and his colleagues at the University of North Carolina "
        "described proteins that form a glass inside cells.",
    ]
    names = NameFinder([sentences], set(), set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]
    for nothing in (
        "Zheng He, a eunuch who rose to the rank of Grand Director, earned the emperor's trust.",
        "Fitz Henry Lane and Martin Johnson Heade are the painters most often called Luminists.",
    ):
        assert defined_in(nothing, set()) == [], nothing
    questions = asked(
        "The crop of 1847 was small but healthy, because few seed potatoes had been planted."
    )
    assert [q.q for q in questions] == ["Why was the crop of 1847 small but healthy?"]


def test_round_26_a_denied_reason_a_raised_number_and_a_person_of_a_town() -> None:
    assert asked("Plate armour did not vanish because of guns alone, as the plates held.") == []
    assert (
        asked(
            "Restriction enzymes were discovered in the 1960s because some bacteria cut the DNA of "
            "invading phages."
        )
        == []
    )
    sentences = [
        "Lorenz Helmschmid of Augsburg made armour for the Emperor Maximilian I.",
        "The Greenwich workshop produced fine harnesses, including the tonlet armour that Henry "
        "wore at the Field of the Cloth of Gold in 1520.",
        "Kennedy made the speech six weeks after the Soviet cosmonaut Yuri Gagarin became the "
        "first human in space.",
        "Margaret Hamilton led the team that wrote its flight software.",
    ]
    names = NameFinder([sentences], set(), set())
    assert [_cloze(s, names, set()) for s in sentences] == [
        (
            "{{Lorenz Helmschmid}} of Augsburg made armour for the Emperor Maximilian I.",
            True,
        ),
        *((s, False) for s in sentences[1:]),
    ]


def test_a_web_pages_superscript_digits_stay_raised(tmp_path: Path, run: Runner) -> None:
    page = tmp_path / "phages.html"
    page.write_text(
        "<html><body><h1>Phages</h1><h2>Numbers</h2><p>There are thought to be about "
        "10<sup>31</sup> phages. Water is H<sub>2</sub>O. A note<sup>[1]</sup> here.</p>"
        "</body></html>",
        "utf-8",
    )
    result = run("ingest", str(page), "--notes", str(tmp_path / "n"))
    assert result.exit_code == 0, result
    section = yaml.safe_load((tmp_path / "n/phages/01-numbers.yaml").read_text("utf-8"))
    assert section["excerpt"] == (
        "There are thought to be about 10³¹ phages. Water is H₂O. A note[1] here.\n"
    )


def test_round_27_no_cloze_on_a_qualifier_an_end_aside_a_hidden_it_or_a_dated_pair() -> None:
    sentences = [
        "One pound sterling was worth about 4.87 United States dollars for the whole period.",
        "French astronomers accused the British of trying to steal credit for the work.",
        "Crosby later widened his argument in his book Ecological Imperialism, published in 1986.",
        "In about 98 percent of lichens it is an ascomycete, a fungus that forms its spores in "
        "tiny sacs.",
        "Galileo Galilei had in fact seen Neptune in December 1612 and January 1613.",
        "Since version 0.8, thanks to a contribution by Karl Chen, fractions can be used in "
        "the specification of time offsets.",
        "Crosby argued that its biological effects mattered more than the conquests.",
    ]
    names = NameFinder([sentences], set(), set())
    clozes = [_cloze(s, names, set()) for s in sentences]
    assert not any("{{United States}}" in c or "{{French}}" in c for c, _ in clozes), clozes
    assert not any("{{1986}}" in c or "{{98 percent}}" in c for c, _ in clozes), clozes
    assert not any("{{1613}}" in c or "{{Karl Chen}}" in c for c, _ in clozes), clozes
    assert clozes[-1] == (sentences[-1], False)


def test_round_28_no_question_on_a_persons_its_or_the_colony() -> None:
    assert asked("Gunta Stolzl became its first female master in 1927.") == []
    assert asked("Belgium took over the colony from Leopold in 1908.") == []
    sentence = "Itten taught the course from 1919 until 1923, when he left after a dispute."
    names = NameFinder([[sentence]], set(), set())
    assert _cloze(sentence, names, set()) == (sentence, False)


def test_a_person_glossed_by_post_or_relation_is_no_term_a_group_that_who_follows_is() -> None:
    draft = drafted(
        "William Howard Russell, the correspondent of The Times, reported these conditions to "
        "readers in Britain.",
        "Clarence Dally, a glassblower who worked for Edison, died in 1904 after years of "
        "exposure, and Edison then stopped his X-ray research.",
        "The Sanitary Commission, a group of experts who inspected the hospitals, arrived in 1855.",
    )
    # A post ("the correspondent of The Times") or a trade and an employer is what a person
    # was, not what the student learns them for; a group's "who" glosses what it was.
    assert draft.terms == (
        ("Sanitary Commission", "a group of experts who inspected the hospitals"),
    )
    # The name itself may still be recalled.
    assert clozed(draft) == [
        "{{Clarence Dally}}, a glassblower who worked for Edison, died in 1904 after years of "
        "exposure, and Edison then stopped his X-ray research."
    ]
    assert defined_in("Clarence Dally was a glassblower who worked for Edison.", set()) == []


def test_a_glossary_entry_of_a_web_page_keeps_its_capital_in_the_excerpt(
    tmp_path: Path, run: Runner
) -> None:
    page = tmp_path / "byzantine.html"
    page.write_text(
        "<html><body><h1>Byzantine Art</h1><h2>Glossary</h2><dl>"
        "<dt>Apse</dt><dd>A semicircular recess at the east end of a church, usually covered "
        "by a half-dome.</dd>"
        "<dt>Pendentive</dt><dd>A curved triangle of masonry that allows a round dome to rest "
        "on a square base.</dd>"
        "<dt>Fresco</dt><dd>Painting on fresh, wet plaster, so that the colours become part of "
        "the wall.</dd></dl></body></html>",
        "utf-8",
    )
    result = run("ingest", str(page), "--notes", str(tmp_path / "notes"))
    assert result.exit_code == 0, result
    section = yaml.safe_load((tmp_path / "notes/byzantine/01-glossary.yaml").read_text("utf-8"))
    assert section["excerpt"] == (
        "- **Apse**: A semicircular recess at the east end of a church, usually covered by a "
        "half-dome.\n"
        "- **Pendentive**: A curved triangle of masonry that allows a round dome to rest on a "
        "square base.\n"
        "- **Fresco**: Painting on fresh, wet plaster, so that the colours become part of the "
        "wall.\n"
    )
    # On the card's back the gloss reads on from its term.
    assert section["terms"] == [
        {
            "term": "Apse",
            "definition": "a semicircular recess at the east end of a church, usually covered "
            "by a half-dome",
        },
        {
            "term": "Pendentive",
            "definition": "a curved triangle of masonry that allows a round dome to rest on a "
            "square base",
        },
    ]


def test_a_called_term_whose_it_is_its_own_a_process_noun_and_a_list_the_head_is_of() -> None:
    draft = drafted(
        "The pressure that must be applied to a solution to stop water from flowing into it "
        "is called osmotic pressure.",
        "When a plant loses too much water, its cells lose turgor and the plant wilts. In a "
        "hypertonic solution the cell membrane pulls away from the wall. Plasmolysis is the "
        "shrinking of the protoplast away from the cell wall when a plant cell loses water.",
        "Fluoroscopy is a technique in which X-rays are passed through the body onto a glowing "
        "screen, so that a doctor can watch moving organs.",
        "An icon is a holy image of Christ, the Virgin Mary or a saint, used in prayer.",
    )
    assert draft.terms == (
        (
            "osmotic pressure",
            "the pressure that must be applied to a solution to stop water from flowing into it",
        ),
        (
            "plasmolysis",
            "the shrinking of the protoplast away from the cell wall when a plant cell loses water",
        ),
        (
            "fluoroscopy",
            "a technique in which X-rays are passed through the body onto a glowing screen",
        ),
        ("icon", "a holy image of Christ, the Virgin Mary or a saint, used in prayer"),
    )
    for nothing in (
        # Which tube, and whose pressure: named in the sentence before.
        "Such a tube is called a cathode ray tube.",
        "The pressure it exerts on the wall is called turgor pressure.",
        # A single capitalised word that is no process's or field's name: a person.
        "Clarence is a glassblower who worked for Edison.",
        # A list the head is of, but a second clause after it: half a card.
        "A triptych is a painting of three panels, hinged together, and the side panels fold "
        "over the centre.",
    ):
        assert defined_in(nothing, set()) == [], nothing


def test_the_topic_defined_at_length_is_a_term_glossed_in_a_few_words_none() -> None:
    byzantine = (
        "Byzantine art is the art produced in the Eastern Roman Empire from the founding "
        "of Constantinople in 330 until the city fell to the Ottoman Turks in 1453."
    )
    (art,) = draft_reading(
        [PlannedSection(1, "one", "One", (byzantine,), True)], title="Byzantine Art"
    )
    assert art.terms == (
        (
            "Byzantine art",
            "the art produced in the Eastern Roman Empire from the founding of Constantinople "
            "in 330 until the city fell to the Ottoman Turks in 1453",
        ),
    )
    osmosis = (
        "**Osmosis** is the net movement of water molecules across a selectively permeable "
        "membrane from a region of lower solute concentration to a region of higher solute "
        "concentration."
    )
    title = "Osmosis and Water Balance in Living Things"
    (defined,) = draft_reading(
        [PlannedSection(1, "one", "What Osmosis Is", (osmosis,), True)], title
    )
    assert [term for term, _ in defined.terms] == ["Osmosis"]
    short = "Osmosis is the movement of water."
    (glossed,) = draft_reading([PlannedSection(1, "one", "What Osmosis Is", (short,), True)], title)
    assert glossed.terms == ()


def test_a_centred_line_ending_in_a_colon_heads_its_text_a_lists_lead_in_stays_text() -> None:
    from studykit.ingest.plaintext import parse_plain
    from studykit.ingest.sources import Heading, Paragraph

    text = (
        "Many thanks to those who provided me with bug reports and feedback.\n\n"
        "Bug reports should ideally include:\n\n"
        '    * The complete output of "gzip -V"\n'
        "    * The hardware and operating system\n\n"
        "                Still to come:\n\n"
        "    * A faster decompressor\n\n"
        "                To unpack a file, type:\n\n"
        "    gzip -d file.gz\n\n"
        "                Note about zip vs. gzip:\n\n"
        "The name 'gzip' was a very unfortunate choice, because zip and gzip\n"
        "are two really different programs.\n"
    )
    items, _, _ = parse_plain(text)
    assert [i.text if isinstance(i, Heading) else None for i in items] == [
        None, None, None, None, None, None, None, "Note about zip vs. gzip", None,
    ]  # fmt: skip
    # Flush with its text, or over a list or an example, a line ending in a colon leads in.
    assert [i.text for i in items if isinstance(i, Paragraph)][:6] == [
        "Many thanks to those who provided me with bug reports and feedback.",
        "Bug reports should ideally include:",
        '    * The complete output of "gzip -V"\n    * The hardware and operating system',
        "                Still to come:",
        "    * A faster decompressor",
        "                To unpack a file, type:",
    ]


def test_a_kind_renamed_in_an_aside_leaves_the_subject_the_term() -> None:
    # A comma closes the appositive, and "that ..." goes back to the kind: the sentence says
    # what a mordant is, with examples of the substance, not what a substance is.
    mordant = "A mordant is a substance, a salt or an oxide, that fixes a dye to a fibre."
    assert drafted(mordant).terms == (
        ("mordant", "a substance, a salt or an oxide, that fixes a dye to a fibre"),
    )
    # Two things joined by "or" or "and" are examples of the kind, comma or none.
    assert drafted(
        "A mordant is a substance, a salt or an oxide that fixes a dye to a fibre.",
        "A buffer is a solution, a weak acid and its salt, that resists changes in pH.",
    ).terms == (
        ("mordant", "a substance, a salt or an oxide that fixes a dye to a fibre"),
        ("buffer", "a solution, a weak acid and its salt, that resists changes in pH"),
    )
    # One broader kind, closed by its comma, renames the kind as well.
    assert drafted(
        "A sonnet is a poem, a lyric of fourteen lines, that follows a strict rhyme scheme.",
        "A catalyst is a substance, usually a metal, that speeds up a reaction.",
    ).terms == (
        ("sonnet", "a poem, a lyric of fourteen lines, that follows a strict rhyme scheme"),
        ("catalyst", "a substance, usually a metal, that speeds up a reaction"),
    )
    # A gloss that runs on to the sentence's end, one broader kind, defines the kind it names.
    assert drafted(
        "Jane Eyre is a Bildungsroman, a novel that follows the growth of its hero from "
        "childhood to maturity."
    ).terms == (
        ("Bildungsroman", "a novel that follows the growth of its hero from childhood to maturity"),
    )


HITTITES = "The Hittites and Their Empire"


def test_a_comparative_opening_a_sentence_starts_no_name_and_no_card_hides_a_title_word() -> None:
    collapse = (
        "Around 1180 BC the Hittite Empire collapsed during the wider crisis of the Late Bronze "
        "Age. Hattusa was abandoned and burned. Smaller Neo-Hittite states survived in southern "
        "Anatolia and northern Syria until the Assyrians absorbed them in the eighth century BC."
    )
    (draft,) = draft_reading([PlannedSection(1, "one", "Collapse", (collapse,), True)], HITTITES)
    # Not "{{Smaller Neo-Hittite}} states survived ...": an adjective and a word of the title.
    assert clozed(draft) == [
        "Around {{1180}} BC the Hittite Empire collapsed during the wider crisis of the Late "
        "Bronze Age."
    ]
    lead = "The Hittites built an empire in central Anatolia in the Bronze Age. "
    for opening in (
        "Smaller Luwian states survived in southern Anatolia until the Assyrians absorbed them.",
        "Early Phrygian kings ruled from Gordion until the Cimmerians came.",
    ):
        assert clozed(drafted(lead + opening)) == [], opening
    # A name that opens with a word of a place's name stays one.
    london = "Greater London has a population of about nine million people living in its boroughs."
    assert clozed(drafted(lead + london)) == [
        london.replace("Greater London", "{{Greater London}}")
    ]


def test_no_card_hides_a_title_word_in_a_hyphened_or_singular_name() -> None:
    lead = "The Bronze Age ended in a crisis across the eastern Mediterranean. "

    def clozes(sentence: str) -> list[str]:
        text = lead + sentence
        (draft,) = draft_reading([PlannedSection(1, "one", "Collapse", (text,), True)], HITTITES)
        return clozed(draft)

    # "Hittite" and "Neo-Hittite" are the title's "Hittites".
    assert clozes("Neo-Hittite Carchemish fell to the armies of Sargon II of Assyria.") == []
    assert clozes("Hittite Carchemish fell to the armies of Sargon II of Assyria.") == []
    suppiluliuma = "Suppiluliuma I defeated the kingdom of Mitanni and made Carchemish a vassal."
    assert clozes(suppiluliuma) == [suppiluliuma.replace("Suppiluliuma I", "{{Suppiluliuma I}}")]


def test_no_cloze_on_an_item_inside_a_lists_last_item_nor_a_date_after_a_listed_place() -> None:
    lead = "The blues grew out of the work songs of the Deep South. "
    johnson = (
        "Robert Johnson recorded only 29 songs, in two sessions in San Antonio in 1936 and "
        "Dallas in 1937."
    )
    # Not "... and Dallas in {{1937}}": San Antonio's year answers it as well.
    assert clozed(drafted(lead + johnson)) == [
        johnson.replace("Robert Johnson", "{{Robert Johnson}}")
    ]
    kagoshima = (
        "The Satsuma fleet was shelled at Kagoshima in 1863 and Shimonoseki in 1864 by British "
        "ships."
    )
    assert clozed(drafted(lead + kagoshima)) == []
    causes = (
        "Drought, famine, rebellions among the vassals and the raids of the so-called Sea "
        "Peoples have all been proposed as causes."
    )
    assert clozed(drafted(lead + causes)) == []
    # The same people, no list: a card.
    raids = (
        "The raids of the so-called Sea Peoples were long blamed for the collapse of the palaces."
    )
    assert clozed(drafted(lead + raids)) == [raids.replace("Sea Peoples", "{{Sea Peoples}}")]
    # A year after the list is the sentence's own.
    after = (
        "Drought, famine and rebellions weakened the empire before the Sea Peoples arrived in "
        "1177 BC."
    )
    assert clozed(drafted(lead + after)) == [after.replace("1177", "{{1177}}")]


def test_no_cloze_on_a_locators_distance_a_length_is_one() -> None:
    lead = "The Hittites built an empire in central Anatolia in the Bronze Age. "
    hattusa = (
        "Hattusa, the Hittite capital, lies near the modern Turkish village of Boğazkale, about "
        "150 kilometres east of Ankara."
    )
    assert clozed(drafted(lead + hattusa)) == []
    assert clozed(drafted(lead + "The road ends about 40 kilometres north of the capital.")) == []
    for length in (
        "The Orontes flows for about 570 kilometres from Lebanon to the Mediterranean Sea.",
        "The Orontes is about 570 kilometres long and flows north into Turkey.",
    ):
        assert clozed(drafted(lead + length)) == [length.replace("570", "{{570}}")]


def test_no_cloze_on_the_one_who_estimates_a_figure() -> None:
    lead = "Snakes have fascinated people for a very long time in many lands. "
    who = (
        "The World Health Organization estimates that between 81,000 and 138,000 people die of "
        "snakebite every year, most of them farm workers in South Asia and sub-Saharan Africa."
    )
    assert clozed(drafted(lead + who)) == []
    # A person's finding is theirs to be asked for.
    jenner = "Edward Jenner showed that cowpox protected people against smallpox."
    assert clozed(drafted(lead + jenner)) == [jenner.replace("Edward Jenner", "{{Edward Jenner}}")]


def test_no_card_on_a_sentence_naming_the_site_or_the_venom_named_before() -> None:
    venom = (
        "Captopril, the first ACE inhibitor, was developed in 1975 from a peptide in the venom "
        "of the Brazilian pit viper Bothrops jararaca. "
        "The Brazilian pharmacologist Sérgio Ferreira had shown in 1965 that the venom "
        "potentiated the effect of bradykinin."
    )
    draft = drafted(venom)
    assert clozed(draft) == [
        "Captopril, the first ACE inhibitor, was developed in {{1975}} from a peptide in the "
        "venom of the Brazilian pit viper Bothrops jararaca."
    ]
    assert draft.questions == ()
    # The venom said whose: a card.
    whose = (
        "The venom of the Brazilian pit viper Bothrops jararaca potentiated the effect of "
        "bradykinin, as Sérgio Ferreira showed in 1965."
    )
    assert clozed(drafted(whose)) == [whose.replace("1965", "{{1965}}")]
    site = "In 1906 the German Assyriologist Hugo Winckler began excavations at {} together with "
    site += "Theodor Makridi of the Ottoman Imperial Museum."
    lead = "Hattusa, the Hittite capital, lies near the modern Turkish village of Boğazkale. "
    assert asked(lead + site.format("the site")) == []
    assert [q.q for q in asked(lead + site.format("Hattusa"))] == [
        "When did the German Assyriologist Hugo Winckler begin excavations at Hattusa together "
        "with Theodor Makridi of the Ottoman Imperial Museum?"
    ]


def test_a_kind_of_a_term_drafted_before_and_a_gloss_comparing_inside_a_phrase_are_terms() -> None:
    draft = drafted(
        "The blues is a musical form and genre that arose among African Americans in the Deep "
        "South of the United States around the 1870s.",
        "The twelve-bar blues is a chord progression of twelve measures built on the first, "
        "fourth and fifth chords of a key. It is the most common structure in the genre.",
        "A blue note is a note sung or played at a slightly lower pitch than the major scale "
        "would give. Blue notes usually fall on the third, fifth and seventh degrees of the "
        "scale.",
    )
    assert draft.terms == (
        (
            "blues",
            "a musical form and genre that arose among African Americans in the Deep South of "
            "the United States around the 1870s",
        ),
        (
            "twelve-bar blues",
            "a chord progression of twelve measures built on the first, fourth and fifth chords "
            "of a key",
        ),
        (
            "blue note",
            "a note sung or played at a slightly lower pitch than the major scale would give",
        ),
    )
    # A comparison before any phrase ranks the thing against another: no definition.
    assert (
        defined_in("A greyhound is a faster dog than a terrier over a short distance.", set()) == []
    )
    # A list of ordinals is one noun's; a list of things is still items to recall.
    assert (
        defined_in(
            "A blues scale is a scale of six notes: the root, the flat third, the fourth, the flat "
            "fifth, the fifth and the flat seventh.",
            set(),
        )
        == []
    )


def test_a_concept_named_for_someone_and_a_glossed_opening_phrase_are_terms() -> None:
    draft = drafted(
        "Air moving across the equator is deflected by the Coriolis effect. The Coriolis effect "
        "is the apparent deflection of moving objects caused by the rotation of the Earth.",
        "Orographic lift, the forced ascent of air over mountains, explains such extremes.",
    )
    assert draft.terms == (
        (
            "Coriolis effect",
            "the apparent deflection of moving objects caused by the rotation of the Earth",
        ),
        ("Orographic lift", "the forced ascent of air over mountains"),
    )
    for nothing in (
        # A post, not a concept: "king" names a person.
        "The Hittite king was the chief priest of the storm god and the supreme judge of the land.",
        # Which age? The gloss leans on the sentences before.
        "Many were written in Akkadian, the diplomatic language of the age, and could be read at "
        "once.",
        # A time phrase opening the sentence is no thing glossed, nor are two things.
        "Last year, the company of merchants, which was founded in 1600, failed.",
        "Wheat and barley, the staple crops of ancient Egypt, were sown in autumn.",
    ):
        assert defined_in(nothing, set()) == [], nothing


def test_a_verb_after_a_list_or_a_name_after_of_keeps_the_card() -> None:
    lead = "The customs union grew out of many small treaties between the German states. "
    for sentence, answer in (
        # The list is the subject; the name is what it answered with.
        (
            "Saxony, Hanover, Hesse-Kassel and several Thuringian states answered with the "
            "Middle German Commercial Union, a defensive league whose members promised not to "
            "join the Prussian system.",
            "Middle German Commercial Union",
        ),
        # "opens and closes" are two verbs, the commas a participle's aside.
        (
            "Mary Shelley's Frankenstein, published in 1818, opens and closes with the letters "
            "of the explorer Robert Walton to his sister.",
            "Robert Walton",
        ),
        # "Physiology or Medicine" is a prize's name, not a list of places with dates.
        (
            "Dam shared the Nobel Prize in Physiology or Medicine in 1943 with Edward Doisy, who "
            "worked out its chemical structure.",
            "1943",
        ),
    ):
        assert clozed(drafted(lead + sentence)) == [
            sentence.replace(answer, "{{" + answer + "}}", 1)
        ], sentence
    # One of two things the Federal Reserve is made up of, its locator between.
    board = (
        "The Federal Reserve System, the central bank of the United States, is made up of a "
        "Board of Governors in Washington and twelve regional Reserve Banks."
    )
    assert clozed(drafted(lead + board)) == []


def test_no_term_whose_gloss_a_list_cuts_or_that_only_relabels_the_kind() -> None:
    for nothing in (
        # The gloss's comma is the list's: "marked by chest pain" is half of it.
        "Acute chest syndrome, a lung complication marked by chest pain, fever and low oxygen, "
        "is the leading cause of death among adults with the disease.",
        # An auction, again: nothing says what kind.
        "In an <dfn>English auction</dfn>, an open ascending auction, the price rises until "
        "only one bidder remains.",
    ):
        assert defined_in(nothing, set()) == [], nothing
    galilean = (
        "The Galilean telescope, a design with a convex objective and a concave eyepiece, gives "
        "an upright image but a very narrow field of view."
    )
    assert defined_in(galilean, set()) == [
        Definition("Galilean telescope", "a design with a convex objective and a concave eyepiece")
    ]


def test_a_species_a_name_says_is_no_thing_named_before() -> None:
    named = (
        "In the Great Smoky Mountains the species Photinus carolinus flashes in synchrony every "
        "June."
    )
    assert drafted(named).summary == named
    assert drafted(named.replace(" Photinus carolinus", "")).summary is None


def test_a_month_after_a_day_number_is_the_dates_never_a_names_first_word() -> None:
    sentences = [
        "On 2 April Wilson asked Congress for a declaration of war, telling it that the world "
        "must be made safe for democracy.",
        "In April Wilson asked Congress for a declaration of war.",
        "On 2 April Woodrow Wilson asked Congress for a declaration of war.",
        "The United States declared war on Germany on 6 April 1917.",
        # A month's name opening a person's name stays the name's.
        "August Borsig of Berlin built the first German locomotive.",
    ]
    names = NameFinder([sentences], set(), set())
    assert [_cloze(s, names, set()) for s in sentences] == [
        (sentences[0], False),
        (sentences[1], False),
        ("On 2 April {{Woodrow Wilson}} asked Congress for a declaration of war.", True),
        ("The United States declared war on Germany on 6 April {{1917}}.", True),
        ("{{August Borsig}} of Berlin built the first German locomotive.", True),
    ]


def test_an_example_of_x_defines_x_by_its_gloss_never_the_work_named_before() -> None:
    lead = "In Lancelot, or the Knight of the Cart, Chrétien told of Lancelot's love for Queen "
    lead += "Guinevere. "
    poem = (
        "The poem is an early example of courtly love, an ideal in which a knight serves a "
        "noble lady with devotion and refinement."
    )
    assert drafted(lead + poem).terms == (
        (
            "courtly love",
            "an ideal in which a knight serves a noble lady with devotion and refinement",
        ),
    )
    # What a thing exemplifies is not what it is, and "The poem" after "Lancelot" is that poem.
    assert defined_in("The treaty is a famous example of secret diplomacy.", set()) == []
    narrative = "The poem is a long narrative in verse that tells of a knight and his quest."
    assert drafted(lead + narrative).terms == ()
    # With nothing named before it, the kind is defined.
    assert drafted(narrative).terms == (
        ("poem", "a long narrative in verse that tells of a knight and his quest"),
    )
    # The gloss must say what the thing is: a person's post is none.
    assert (
        defined_in("The statue is an example of realism, a sculptor who worked in Rome.", set())
        == []
    )


def test_a_heading_framed_by_a_row_of_stars_and_underlined_heads_its_section() -> None:
    from studykit.ingest.sections import plan_sections
    from studykit.ingest.sources import Source, parse

    text = (
        "Widget README\n\n"
        "These are the widget tools.  They build on most systems.\n\n\n"
        "*********************\n"
        "Pre-C99 build failure\n"
        "---------------------\n\n"
        "Old compilers fail on the headers.\n\n\n"
        "************************\n"
        "32 bit time_t build failures\n"
        "------------------------\n\n"
        "Pass TIME_T_32_BIT_OK=yes to configure.\n\n\n"
        "*************************\n"
        '"make check" failure on IRIX\n'
        "-------------------------\n\n"
        "Some tests need a newer shell.\n\n\n"
        "***************\n"
        "Reporting bugs:\n"
        "---------------\n\n"
        "Send reports to the list.\n\n"
        # A clause boxed in stars is read without its frame; a row of stars stays a break.
        "**************************************\n"
        "*  The tools come with no warranty.  *\n"
        "**************************************\n\n"
        "***\n\n"
        "Thanks to all who helped.\n"
    )
    sections = plan_sections(parse(Source(text.encode("utf-8"), "reading.txt", "txt", None)))
    assert [(s.title, s.paragraphs) for s in sections] == [
        ("Introduction", ("These are the widget tools.  They build on most systems.",)),
        ("Pre-C99 build failure", ("Old compilers fail on the headers.",)),
        ("32 bit time_t build failures", ("Pass TIME_T_32_BIT_OK=yes to configure.",)),
        ('"make check" failure on IRIX', ("Some tests need a newer shell.",)),
        (
            "Reporting bugs",
            (
                "Send reports to the list.",
                "The tools come with no warranty.",
                "***",
                "Thanks to all who helped.",
            ),
        ),
    ]
    # A row of stars over a line with no underline frames nothing: the lines stay text.
    loose = "Widget README\n\nThe tools build.\n\n***\nPre-C99 build failure\n\nOld ones fail.\n"
    assert [
        (s.title, s.paragraphs)
        for s in plan_sections(parse(Source(loose.encode("utf-8"), "reading.txt", "txt", None)))
    ] == [
        (
            "Full text",
            ("The tools build.", "***\nPre-C99 build failure", "Old ones fail."),
        )
    ]


def test_a_judgement_of_a_named_thing_is_no_term_and_who_is_never_asked_of_a_state() -> None:
    assert (
        defined_in("The Zimmermann Telegram was a diplomatic blunder of the first order.", set())
        == []
    )
    assert defined_in("The Marshall Plan was a major success of American diplomacy.", set()) == []
    # What the named thing was, and a judgement word's own definition, stay terms.
    assert defined_in(
        "The Zimmermann Telegram was a secret message sent by the German Foreign Office in "
        "January 1917.",
        set(),
    ) == [
        Definition(
            "Zimmermann Telegram",
            "a secret message sent by the German Foreign Office in January 1917",
        )
    ]
    assert defined_in("A blunder is a careless mistake made in a matter of importance.", set()) == [
        Definition("blunder", "a careless mistake made in a matter of importance")
    ]
    # "Who declared war ...?" of the United States: a state's act, asked when instead.
    war = "The United States declared war on Germany on 6 April 1917."
    assert [(q.q, q.a) for q in asked(war)] == [
        ("When did the United States declare war on Germany?", war)
    ]
    assert asked("The United States declared war on Germany.") == []
    speech = "Woodrow Wilson declared that the world must be made safe for democracy."
    assert [(q.q, q.a) for q in asked(speech)] == [
        ("Who declared that the world must be made safe for democracy?", speech)
    ]


def test_no_term_whose_gloss_would_end_between_two_adjectives() -> None:
    # Cut at the comma of "the cold, dense edge", the gloss says slab pull is the pull of the
    # cold: a falsehood. Where the comma may not close the gloss, there is no term.
    draft = drafted(
        "The most important force is thought to be **slab pull**, the pull exerted on a plate "
        "by the cold, dense edge of lithosphere sinking into the mantle at a subduction zone. "
        "A weaker force arises at the ridges."
    )
    assert draft.terms == ()
    # A gloss the sentence's verb or a phrase closes is still drafted.
    assert drafted(
        "The Shelterbelt Project, a plan to plant trees across the plains, began in 1934."
    ).terms == (("Shelterbelt Project", "a plan to plant trees across the plains"),)
    assert drafted(
        "The central bank conducts **monetary policy**, the management of interest rates, in "
        "most countries."
    ).terms == (("monetary policy", "the management of interest rates"),)


def test_no_term_whose_gloss_rests_on_a_thing_named_before_or_a_comparison_without_than() -> None:
    # "the island's main town": which island? "a larger ship": larger than what? Both were
    # named in a sentence before; the card alone would not say.
    draft = drafted(
        "In 1161 Henry the Lion granted the merchants of Gotland equal rights in his lands, and "
        "German traders soon settled in **Visby**, the island's main town.",
        "From the fifteenth century the cog was gradually replaced by the **hulk**, a larger "
        "ship that could carry twice as much cargo.",
    )
    assert draft.terms == ()
    # A comparison whose thing a phrase pins down is kept: the gloss says what it is.
    assert drafted(
        "Beneath it lies the **asthenosphere**, a hotter and weaker region of the upper mantle "
        "that deforms by slow plastic flow over geological time."
    ).terms == (
        (
            "asthenosphere",
            "a hotter and weaker region of the upper mantle that deforms by slow plastic flow "
            "over geological time",
        ),
    )


def test_no_cloze_on_a_sentence_whose_subject_was_named_before() -> None:
    # "it" is the lithosphere, "The islands" the Hawaiian Islands, "the decades that followed"
    # those after the peace: the card alone would not say which. Each stays a point to read.
    lithosphere = (
        "Under the oceans it ranges from almost nothing at a spreading ridge to about 100 "
        "kilometres beneath old ocean floor, while beneath the ancient cores of continents it "
        "may extend to depths of 200 kilometres or more."
    )
    islands = (
        "The islands become progressively older to the north-west, from the active volcanoes "
        "of the island of Hawaii to Kauai, about 5 million years old."
    )
    decades = (
        "In the decades that followed, the Baltic was troubled by the Victual Brothers, "
        "privateers first hired to supply besieged Stockholm in 1389 who then turned to piracy."
    )
    for before, sentence in (
        ("The lithosphere of the Earth varies greatly in its thickness.", lithosphere),
        (
            "Some volcanoes in the Pacific lie far from any plate boundary, as the Hawaiian "
            "Islands do.",
            islands,
        ),
        ("The Peace of Stralsund was signed by Denmark and the towns on 24 May 1370.", decades),
    ):
        draft = drafted(f"{before} {sentence}")
        assert sentence in draft.points  # whole, without a deletion


def test_no_cloze_on_a_year_in_a_participles_aside_that_a_semicolon_closes() -> None:
    draft = drafted(
        "- **Mohorovičić discontinuity**: The boundary between the crust and the mantle, "
        "identified in 1909 by the Croatian seismologist Andrija Mohorovičić from a change in "
        "the speed of earthquake waves; often shortened to the Moho.\n"
        "- **Craton**: An old and stable part of the continental lithosphere.",
        title="Glossary",
    )
    assert clozed(draft) == []


def test_a_bracket_between_the_term_and_its_verb_does_not_hide_the_definition() -> None:
    draft = drafted(
        'Plate tectonics (from the Late Latin tectonicus, "pertaining to building") is the '
        "scientific theory that Earth's outer shell is divided into large plates that move "
        "slowly over the mantle. Each plate moves as one rigid unit.",
        title="Geology",
    )
    assert draft.terms == (
        (
            "plate tectonics",
            "the scientific theory that Earth's outer shell is divided into large plates that "
            "move slowly over the mantle",
        ),
    )


def test_no_cloze_on_the_age_of_a_thing() -> None:
    draft = drafted(
        "A cog of about 1380 was found in the river Weser near Bremen, and its restored hull "
        "is now shown at the German Maritime Museum."
    )
    assert clozed(draft) == []
