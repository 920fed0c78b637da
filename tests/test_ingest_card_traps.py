"""Cards ingest must not draft from sentences of four texts it had never seen (a science
passage, a licence, a README, a tool's quick start, and a help file), and the few it should.

Each sentence is the text's own. A card here would teach something its sentence does not say
(a term defined by a neighbour's appositive, a role taken for what a thing is, a number from an
example's output), or could not be answered (who is "he"?), or cuts a word in two.
"""

from __future__ import annotations

from draft_helpers import clozed, drafted

from studykit.ingest.cloze_choice import _cloze
from studykit.ingest.definition_text import Definition
from studykit.ingest.definitions import defined_in
from studykit.ingest.draft_notes import draft_reading
from studykit.ingest.names import NameFinder
from studykit.ingest.questions import base_form
from studykit.ingest.sections import PlannedSection

# A wrong definition: "X of Y, a ...," glosses Y; and a role is not what a thing is.


def test_an_appositive_after_x_of_y_defines_y() -> None:
    draft = drafted(
        "Fossils of Mesosaurus, a small freshwater reptile, are found in both Brazil and South "
        "Africa but nowhere else."
    )
    assert draft.terms == (("Mesosaurus", "a small freshwater reptile"),)


def test_an_appositive_after_a_singular_x_of_y_defines_neither() -> None:
    # A name of its own ("Department" written capitalised only) is what its gloss defines;
    # "Department of Agriculture, an agency ..." after a common singular word, either may be.
    assert defined_in(
        "The plan was drawn up by the Department of Agriculture, an agency of the federal "
        "government, in 1935.",
        {"plan"},
    ) == [Definition("Department of Agriculture", "an agency of the federal government")]
    assert (
        defined_in(
            "Department of Agriculture, a body of experts, toured the plains.",
            {"department"},
        )
        == []
    )


def test_a_role_is_no_definition_but_what_a_thing_is_is() -> None:
    assert drafted("Memcheck is the default tool. It checks memory.").terms == ()
    assert drafted("Mozilla Foundation is the license steward.").terms == ()
    draft = drafted(
        "Arthur Holmes, a British geologist, proposed in 1929 that convection currents in the "
        "mantle could carry the continents. The mantle is the thick layer of hot, slowly "
        "flowing rock between the crust and the core."
    )
    assert draft.terms == (
        ("mantle", "the thick layer of hot, slowly flowing rock between the crust and the core"),
    )
    draft = drafted("Alfred Wegener was a German meteorologist and polar explorer.")
    assert draft.terms == (("Alfred Wegener", "a German meteorologist and polar explorer"),)


def test_the_x_is_a_y_only_where_x_names_a_kind_of_thing() -> None:
    assert drafted("The region is the driest part of the state in summer.").terms == ()
    assert drafted("The drought is the worst of the century on the plains.").terms == ()


def test_a_glossary_gives_more_terms_and_you_is_one() -> None:
    draft = drafted(
        '"Contributor" means each individual or legal entity that creates, contributes to the '
        "creation of, or owns Covered Software.",
        '"Contribution" means Covered Software of a particular Contributor.',
        '"Executable Form" means any form of the work other than Source Code Form.',
        '"License" means this document.',
        '"Source Code Form" means the form of the work preferred for making modifications.',
        '"You" (or "Your") means an individual or a legal entity exercising rights under this '
        "License.",
    )
    assert [t for t, _ in draft.terms] == [
        "Contributor",
        "Contribution",
        "Executable Form",
        "License",
        "Source Code Form",
        "You",
    ]
    assert (
        draft.terms[-1][1] == "an individual or a legal entity exercising rights under this License"
    )


# A wrong cloze: an imperative, an example's number, a key name cut in two.


def test_no_cloze_on_an_imperative_or_a_discourse_word_that_opens_a_sentence() -> None:
    draft = drafted(
        "Use the `config` object in your package.json with each key in the form "
        "`node_gyp_OPTION_NAME`. Any of the command\noptions listed above can be set (dashes in "
        "option names should be replaced by underscores).",
        "For example, to set `devdir` equal to `/tmp/.gyp`, your package.json would contain this:",
        "Use the form `npm_package_config_node_gyp_OPTION_NAME` for any of the command options "
        "listed\nabove (dashes in option names should be replaced by underscores).",
        "Run this on Unix:",
        "Note that in versions of npm before v11 it was possible to use the prefix "
        "`npm_config_` for\nenvironment variables. This was deprecated in npm@11 and will be "
        "removed in npm@12 so it\nis recommended to convert your environment variables to the "
        "above format.",
        "Use the form `OPTION_NAME` for any of the command options listed above.",
        "**Note:** Configuration set via `npm` will only be used when `node-gyp`\nis run via "
        "`npm`, not when `node-gyp` is run directly.",
        title="Configuration",
    )
    assert clozed(draft) == [], draft.points


def test_no_cloze_on_a_number_from_an_examples_output() -> None:
    draft = drafted(
        "Most error messages look like the following, which describes problem 1.",
        "  ==19182== Invalid write of size 4\n  ==19182==    at 0x804838F: f (example.c:6)",
        "The 19182 is the process ID; it's usually unimportant. (Ignore the "
        '"vg_replace_malloc.c", that\'s an implementation detail.)',
        "Memcheck reports the block of 40 bytes that was lost in 1 call to malloc.",
    )
    assert all("19182}}" not in p for p in draft.points), draft.points
    assert draft.summary is not None and "19182" not in draft.summary, draft.summary
    assert "Ignore" not in draft.summary


def test_a_number_is_clozed_only_as_a_count_of_something() -> None:
    assert clozed(drafted("The ridge runs for 16000 kilometres down the middle of the ocean.")) == [
        "The ridge runs for {{16000}} kilometres down the middle of the ocean."
    ]
    assert clozed(drafted("The default port of the daemon on this machine is 8080.")) == []
    assert clozed(drafted("The plates move past each other at about 50 mm a year in places.")) == [
        "The plates move past each other at about {{50}} mm a year in places."
    ]


def test_a_deletion_ends_where_its_token_ends() -> None:
    draft = draft_reading(
        [
            PlannedSection(
                1,
                "one",
                "Jumping",
                (
                    "Now you are in two.c. Now use CTRL-^ to go back to one.c. Another CTRL-^ "
                    "and you are back in two.c.",
                    "Notice that the CTRL-^ command does not change the idea of where you are "
                    "in the list of files.",
                    "When you just started Vim CTRL-^ will not work, since there isn't a "
                    "previous file.",
                ),
                headed=True,
            ),
            PlannedSection(
                2,
                "two",
                "Backup",
                (
                    "Vim will write a backup file before it writes the file, and usually "
                    "removes it again afterwards.",
                    "Usually Vim does not produce a backup file.",
                ),
                headed=True,
            ),
        ]
    )
    points = [p for d in draft for p in d.points]
    assert not any("-}}" in p or "{{Another" in p or "{{Usually" in p for p in points), points
    assert not any("{{Vim CTRL" in p for p in points), points


def test_no_cloze_in_a_quoted_message_a_see_aside_or_after_a_symbol_word() -> None:
    draft = drafted(
        "Memcheck also reports uses of uninitialised values, most commonly with the message "
        '"Conditional jump or move depends on uninitialised value(s)".',
        "Memcheck is not perfect; it occasionally produces false positives, and there are "
        "mechanisms for suppressing these (see Suppressing errors in the Valgrind User Manual).",
        "Stack traces can get quite large, and be confusing, especially if you are using the "
        "C++ STL.",
    )
    assert clozed(draft) == [], draft.points


def test_no_cloze_on_the_topic_that_opens_the_reading() -> None:
    drafts = draft_reading(
        [
            PlannedSection(
                1,
                "introduction",
                "Introduction",
                (
                    "The Valgrind tool suite provides a number of debugging and profiling tools "
                    "that help you make your programs faster and more correct.",
                ),
                headed=True,
            ),
            PlannedSection(
                2,
                "more",
                "More information",
                (
                    "Note that the other tools in the Valgrind distribution can be invoked with "
                    "the --tool option.",
                ),
                headed=True,
            ),
        ]
    )
    assert [clozed(d) for d in drafts] == [[], []], drafts


# A weak cloze: one item of a list, a pronoun for a subject, a licence's own words.


def test_no_cloze_on_an_item_of_a_list_after_a_modifier() -> None:
    draft = drafted(
        "Glacial deposits of the same age appear in India, Australia and southern Africa, "
        "regions that are now far from any ice sheet.",
        "Most geologists, especially in Britain and the United States, rejected continental drift.",
    )
    assert clozed(draft) == [], draft.points


def test_no_cloze_where_the_subject_is_a_pronoun() -> None:
    draft = drafted(
        "In January 1912 he presented his ideas to the Geological Association in Frankfurt, and "
        "in 1915 he published them in a book, The Origin of Continents and Oceans.",
        "It contains a vendored copy of the gyp-next project that was previously used by the "
        "Chromium team.",
        "However, it is typically right 99% of the time, so you should be wary of ignoring its "
        "error messages.",
    )
    assert clozed(draft) == [], draft.points
    # "It is estimated that ...": an "it" that stands for nothing keeps its card (on the
    # amount: a year that is one end of a range, "between 1925 and 1930", is half a fact).
    assert clozed(
        drafted(
            "It is estimated that 5.2 million acres of grassland were ploughed between 1925 "
            "and 1930."
        )
    ) == ["It is estimated that {{5.2 million}} acres of grassland were ploughed between 1925 "
          "and 1930."]  # fmt: skip


def test_no_cloze_on_a_licences_label_or_defined_word() -> None:
    draft = drafted(
        '"Modifications" means any of the following: a new file or a change to Covered Software.',
        '"Covered Software" means Source Code Form to which the initial Contributor has attached '
        "the notice in Exhibit A, the Executable Form of such Source Code Form, and Modifications "
        "of such Source Code Form, in each case including portions thereof.",
        "All distribution of Covered Software in Source Code Form, including any Modifications "
        "that You create or to which You contribute, must be under the terms of this License.",
    )
    assert not any("{{Exhibit A}}" in p or "{{Modifications}}" in p for p in draft.points), (
        draft.points
    )


# Questions: "who" only of a person's act; never a name lower-cased or a verb misspelt.


def test_who_only_of_what_a_person_does() -> None:
    draft = drafted(
        "Alfred Wegener was a German meteorologist and polar explorer. In January 1912 he "
        "presented his ideas to the Geological Association in Frankfurt, and in 1915 he "
        "published them in a book, The Origin of Continents and Oceans. Continental drift is "
        "the hypothesis that the continents have moved slowly across the surface of the Earth "
        "over geological time. Wegener argued that all the continents had once formed a single "
        'supercontinent, which he called Pangaea, meaning "all lands". Pangaea began to '
        "break apart about 200 million years ago.",
        "Wegener drew on several lines of evidence. The coastlines of South America and Africa "
        "fit together like pieces of a puzzle. Fossils of Mesosaurus, a small freshwater "
        "reptile, are found in both Brazil and South Africa but nowhere else. Glacial deposits "
        "of the same age appear in India, Australia and southern Africa, regions that are now "
        "far from any ice sheet. Rock formations in Scotland match those in the Appalachian "
        "Mountains of North America.",
        title="Wegener's Hypothesis",
    )
    # "Who began to break apart ...?" of a landmass; "Who drew on several lines of evidence?"
    # asks nothing to recall.
    assert draft.questions == (), draft.questions
    draft = drafted(
        "Arthur Holmes, a British geologist, proposed in 1929 that convection currents in the "
        "mantle could carry the continents."
    )
    assert [q for q, _ in draft.questions] == [
        "Who proposed in 1929 that convection currents in the mantle could carry the continents?"
    ], draft.questions


def test_a_why_question_keeps_a_name_and_spells_its_verb() -> None:
    draft = drafted(
        "Holmes's proposal received little attention at the time because there was no way to "
        "observe the mantle directly."
    )
    assert [q for q, _ in draft.questions] == [
        "Why did Holmes's proposal receive little attention at the time?"
    ]
    assert base_form("received") == "receive"
    assert base_form("caused") is None  # "cause" or "caus"? spelling cannot tell: no question


# Summaries: the section's claim, not an example or an aside.


def test_a_summary_states_the_claim_not_an_example_or_an_aside() -> None:
    draft = drafted(
        "For example, large parts of KDE, OpenOffice.org and Firefox are Memcheck-clean, or "
        "very close to it.",
        "Memcheck cannot detect every memory error your program has.",
        title="Caveats",
    )
    # The lead is an example; a later sentence is never the summary: the student writes it.
    assert draft.summary is None
    draft = drafted(
        "Wegener argued that all the continents had once formed a single supercontinent, which "
        'he called Pangaea, meaning "all lands". Glacial deposits of the same age appear in '
        "India, Australia and southern Africa, regions that are now far from any ice sheet. "
        "Rock formations in Scotland match those in the Appalachian Mountains of North America.",
        title="Wegener's Hypothesis",
    )
    assert draft.summary is not None and draft.summary.startswith("Wegener argued"), draft.summary


# A fifth set of unseen texts: a history passage, a biochemistry passage, the Artistic licence,
# base-passwd's users and groups, systemd's porting notes.


def test_no_cloze_where_the_subject_has_a_possessive_or_demonstrative_determiner() -> None:
    draft = drafted(
        "After clashes with Western fleets at Kagoshima in 1863 and Shimonoseki in 1864, their "
        "leaders concluded that the foreigners could not be expelled by force alone.",
        "High levels of ATP and NADH inhibit these enzymes, while ADP and calcium ions activate "
        "them.",
    )
    assert clozed(draft) == []


def test_no_cloze_on_the_readings_title() -> None:
    (draft,) = draft_reading(
        [
            PlannedSection(
                1,
                "summary",
                "Summary",
                (
                    "In summary, the Meiji Restoration transformed a feudal country into a "
                    "centralised industrial state within a single generation.",
                ),
                headed=True,
            )
        ],
        title="The Meiji Restoration",
    )
    assert clozed(draft) == []


def test_no_cloze_on_any_item_of_a_list() -> None:
    draft = drafted(
        "During the reaction the enzyme binds NADH and water in the same pocket of the protein.",
        "Farmers in the valley grew Barley, oats and rye on the terraces above the river.",
    )
    assert clozed(draft) == []


def test_no_cloze_on_an_answer_another_token_or_the_heading_holds() -> None:
    sentence = "Use `-Ddns-servers=` to direct systemd-resolved to different fallback DNS servers."
    assert clozed(drafted(sentence, title="Other")) == []
    assert (
        clozed(drafted("The resolver asks the DNS servers of the network first.", title="DNS"))
        == []
    )


def test_a_stop_after_a_capital_letter_ends_a_sentence_before_a_common_word() -> None:
    from studykit.ingest.sentences import sentences

    text = (
        "Krebs shared the Nobel Prize in Physiology or Medicine in 1953 with Fritz Lipmann, who "
        "had discovered coenzyme A. In eukaryotic cells the cycle takes place in the matrix of "
        "the mitochondria; in bacteria it takes place in the cytoplasm."
    )
    assert len(sentences(text)) == 2
    assert sentences("It was written by J. Smith in Leeds.") == [
        "It was written by J. Smith in Leeds."
    ]
    # A sentence with a stop and a capital inside is never a card, whatever the splitters say.
    draft = drafted("The prize went to A. Lipmann in 1953 for the discovery of the coenzyme.")
    assert draft.points == () or clozed(draft) == []


def test_a_term_is_a_noun_phrase_never_an_adverb_that_opens_a_sentence() -> None:
    sentence = (
        "Historically, the sys user and group owned the kernel sources and some related items "
        "like the include files, but this was obsoleted long ago in favour of bin (now itself "
        "legacy; see above)."
    )
    assert defined_in(sentence, set()) == []
    assert defined_in("Today, the main port of the region, a city of ships, is busy.", set()) == []


def test_a_definition_that_goes_on_in_the_next_sentence_is_no_term() -> None:
    draft = drafted(
        '"Freely Available" means that no fee is charged for the item itself, though there may '
        "be fees involved in handling the item. It also means that recipients of the item may "
        "redistribute it under the same conditions they received it."
    )
    assert draft.terms == ()


def test_a_summary_never_points_back() -> None:
    draft = drafted(
        "A Package modified in such a way shall still be considered the Standard Version.",
        "You may apply bug fixes and portability fixes derived from the Public Domain.",
    )
    assert draft.summary is None


def test_no_card_on_a_sentence_whose_place_is_there() -> None:
    draft = drafted(
        "Venice soon became the largest centre of printing in Europe. Aldus Manutius founded "
        "the Aldine Press there in 1494 and printed small, cheap editions of Greek and Latin "
        "classics."
    )
    assert draft.questions == ()
    assert [p for p in clozed(draft) if "Aldus" in p] == []


def test_no_cloze_on_the_number_of_a_products_name() -> None:
    draft = drafted(
        "To use the native ARM64 C++ compiler on Windows on ARM, ensure that you have Visual "
        "Studio 2022 installed on the machine.",
        "The Treaty of Paris was signed in April 1815 at the palace of the king.",
    )
    assert not any("{{2022}}" in p for p in draft.points), draft.points
    assert "The Treaty of Paris was signed in April {{1815}} at the palace of the king." in (
        draft.points
    )


# Where a card could be read two ways, none is drafted.


def test_an_appositive_after_a_phrase_with_of_defines_nothing() -> None:
    draft = drafted(
        "Each antibody is shaped like a letter. The stem of the Y, the constant region, "
        "determines how the antibody interacts with other parts of the immune system."
    )
    assert draft.terms == ()


def test_a_cloze_never_cuts_a_name_of_several_words() -> None:
    draft = drafted(
        "The disease is caused by Yersinia pestis, a bacterium carried by fleas that live on "
        "black rats. According to the chronicler Gabriele de' Mussi, the Golden Horde army "
        "besieging Caffa had catapulted infected corpses over the walls in 1346."
    )
    points = " ".join(draft.points)
    assert "{{Yersinia}}" not in points and "{{Gabriele}}" not in points
    assert "de' {{Mussi}}" not in points


def test_no_cloze_in_a_placeholder_code_or_an_instruction() -> None:
    sentences = [
        "[EDIT ME: scan Debian bug reports and write some nice summaries about them.]",
        "Have a look into some ANSI standards document about the language.",
        "Please report bugs found in the packaging of the compiler to the Debian bug tracking "
        "system.",
        "If you set `default-locale` to a language other than English (`en-*`), add the "
        "language to the list of the style guide.",
        "If we are not at the end, then the zlib constant Z_NO_FLUSH will be passed to deflate "
        "to indicate that we are in the middle of the data.",
    ]
    names = NameFinder([sentences], {"language", "report", "scan"}, set())
    assert [_cloze(s, names, set()) for s in sentences] == [(s, False) for s in sentences]
    # The same words where nothing gives them away, and no one is told what to do:
    told = "ANSI published some standards documents about the language."
    names = NameFinder([[told, "The committee read what ANSI wrote."]], {"language"}, set())
    assert _cloze(told, names, set()) == (
        "{{ANSI}} published some standards documents about the language.",
        True,
    )


def test_no_cloze_on_the_acronym_of_the_readings_title() -> None:
    (draft,) = draft_reading(
        [
            PlannedSection(
                1,
                "one",
                "Where to report",
                (
                    "Bugs in the compiler itself are tracked upstream by the developers. "
                    "Please send reports found in the packaging of GCC to the Debian bug "
                    "tracking system on the web.",
                    "Reports about GCC are read by volunteers across the world every day.",
                ),
                headed=True,
            )
        ],
        title="GNU Compiler Collection bugs",
    )
    assert "{{GCC}}" not in " ".join(draft.points)


def test_no_question_whose_sentence_names_a_thing_said_before() -> None:
    draft = drafted(
        "The Flagellants whipped themselves in public processions across the German lands. "
        "Pope Clement VI condemned the movement in 1349."
    )
    assert draft.questions == ()
    # A reason for what was done stands on its own.
    draft = drafted(
        "Krebs proposed a closed loop of reactions in 1937, because oxaloacetate is "
        "regenerated at the end of every turn."
    )
    assert [q for q, _ in draft.questions] == [
        "Why did Krebs propose a closed loop of reactions in 1937?"
    ]
    # After "concluded that", "because ..." may be why he concluded it or part of what he
    # concluded ("Krugman proposed that much trade ... because consumers value variety"):
    # read two ways, it asks nothing.
    draft = drafted(
        "Krebs concluded that the reactions form a closed loop, because oxaloacetate is "
        "regenerated at the end of every turn."
    )
    assert draft.questions == ()


def test_no_cloze_whose_subject_is_a_thing_named_before() -> None:
    sentence = (
        "The manual can be read using M-x info in Emacs, or with the info program on your system."
    )
    names = NameFinder([[sentence]], {"manual", "info"}, set())
    assert _cloze(sentence, names, set()) == (sentence, False)
    named = "The GCC manual was first printed in 1988, and the info program reads it too."
    names = NameFinder([[named]], {"manual", "info"}, set())
    assert _cloze(named, names, set()) == (
        "The GCC manual was first printed in {{1988}}, and the info program reads it too.",
        True,
    )


def test_no_cloze_on_a_name_the_reading_keeps_naming_in_a_longer_form_too() -> None:
    draft = drafted(
        "The conference met after the defeat of Napoleon Bonaparte in the spring. Diplomats "
        "feared that Napoleon might return from exile. Some courts had paid Napoleon tribute for "
        "years. The armies that beat Napoleon stayed in the field. The main decisions were taken "
        "by the four powers that had defeated Napoleon in the long wars."
    )
    assert not any("{{Napoleon" in p for p in draft.points), draft.points


def test_no_cloze_in_an_instruction_after_its_condition() -> None:
    told = (
        "If a style guide is only available in print, provide a URL that allows us to locate a "
        "paper copy."
    )
    names = NameFinder([[told]], {"style", "guide"}, set())
    assert _cloze(told, names, set()) == (told, False)
    stated = "If a style guide is only available in print, libraries have kept one since 1990."
    names = NameFinder([[stated]], {"style", "guide"}, set())
    assert _cloze(stated, names, set()) == (
        "If a style guide is only available in print, libraries have kept one since {{1990}}.",
        True,
    )


def test_an_html_code_span_stays_code_and_is_never_hidden() -> None:
    from studykit.ingest.webpage import parse_html

    items, _, _ = parse_html(
        "<html><body><p>If we are not at the end, then the zlib constant <tt>Z_NO_FLUSH</tt> "
        "will be passed to <code>deflate</code> in the middle of the data.</p></body></html>"
    )
    (paragraph,) = [item.text for item in items if hasattr(item, "text")]
    assert paragraph == (
        "If we are not at the end, then the zlib constant `Z_NO_FLUSH` will be passed to "
        "`deflate` in the middle of the data."
    )
    names = NameFinder([[paragraph]], {"zlib", "constant"}, set())
    assert _cloze(paragraph, names, set()) == (paragraph, False)


def test_no_cloze_on_a_name_another_heading_holds() -> None:
    sections = [
        PlannedSection(
            1,
            "arrival",
            "Arrival in Europe",
            ("The plague reached the ports of the south by ship in the autumn of 1347.",),
            headed=True,
        ),
        PlannedSection(
            2,
            "economic",
            "Economic effects",
            (
                "Over the following century serfdom declined in western Europe, while real "
                "wages for ordinary workers rose.",
            ),
            headed=True,
        ),
    ]
    drafts = draft_reading(sections, title="The Black Death")
    # "The following century" points back: no summary, and no cloze on "Europe".
    assert drafts[1].summary is None
    assert drafts[1].points == (
        "Over the following century serfdom declined in western Europe, while real wages for "
        "ordinary workers rose.",
    )
