"""Whatever ingest drafts builds: real documents and generated ones through ingest, check, deck.

The real documents are a fixed sample copied from a Debian machine's documentation into
tests/fixtures/corpus/ (tests/fixtures/README.md says where each comes from), so that every
machine runs the same files. `benchmarks/ingest_corpus.py` runs the same three commands over
every document a machine has.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anki_helpers import import_deck
from conftest import Runner, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from studykit.cli.app import app
from studykit.notes.validate import load_reading

CORPUS = Path(__file__).parent / "fixtures" / "corpus"

# Each document's sections as a student sees them in the notes folder.
SECTIONS = {
    "Apache-2.0.txt": [
        "Introduction", "Definitions", "Grant of Copyright License", "Grant of Patent License",
        "Redistribution", "Submission of Contributions", "Trademarks", "Disclaimer of Warranty",
        "Limitation of Liability", "Accepting Warranty or Additional Liability",
        "Copyright [yyyy] [name of copyright owner]",
    ],
    # Clauses without titles, a paragraph opening with its number, are named by it.
    "Artistic.txt": ["Preamble", "Definitions", *(f"Clause {n}" for n in range(1, 11))],
    "GPL-2.txt": [
        "Introduction", "Preamble", *(f"Clause {n}" for n in range(11)), "No Warranty",
        "How to Apply These Terms to Your New Programs",
    ],
    "GPL-3.txt": [
        "Introduction", "Preamble", "Definitions", "Source Code", "Basic Permissions",
        "Protecting Users' Legal Rights From Anti-Circumvention Law",
        "Conveying Verbatim Copies", "Conveying Modified Source Versions",
        "Conveying Non-Source Forms", "Additional Terms", "Termination",
        "Acceptance Not Required for Having Copies",
        "Automatic Licensing of Downstream Recipients", "Patents",
        "No Surrender of Others' Freedom", "Use with the GNU Affero General Public License",
        "Revised Versions of this License", "Disclaimer of Warranty", "Limitation of Liability",
        "Interpretation of Sections 15 and 16", "How to Apply These Terms to Your New Programs",
    ],
    # Clauses 6 and 7 are set in boxes of `*`; the heading of 10.4 wraps onto a second line.
    "MPL-2.0.txt": [
        # A numbered clause with no text of its own over its parts ("2. License Grants and
        # Conditions" over "2.1. Grants"): its title joins its first part's.
        "Definitions", "License Grants and Conditions: Grants", "Effective Date",
        "Limitations on Grant Scope", "Subsequent Licenses", "Representation", "Fair Use",
        "Conditions", "Responsibilities: Distribution of Source Form",
        "Distribution of Executable Form",
        "Distribution of a Larger Work", "Notices", "Application of Additional Terms",
        "Inability to Comply Due to Statute or Regulation", "Termination",
        "Disclaimer of Warranty", "Limitation of Liability", "Litigation", "Miscellaneous",
        "Versions of the License: New Versions", "Effect of New Versions", "Modified Versions",
        "Distributing Source Code Form that is Incompatible With Secondary Licenses",
        "Exhibit A - Source Code Form License Notice",
        'Exhibit B - "Incompatible With Secondary Licenses" Notice',
    ],
    "attrs-description.md": [
        "Introduction", "Sponsors", "Example", "Data Classes", "Project Information",
        "Release Information",
    ],
    "idle-help.html": [
        "Introduction", "Menus", "Editing and Navigation", "Startup and Code Execution",
        "Command line usage", "Startup failure", "Running user code", "User output in Shell",
        "Developing tkinter applications", "Running without a subprocess",
        "Help and Preferences", "idlelib",
    ],
    "libffi-introduction.html": ["What is libffi?"],
    "node-gyp-readme.md": [
        "Introduction", "Features", "Installation", "How to Use", "The `binding.gyp` file",
        "Further reading", "Commands", "Command Options", "Configuration", "License",
    ],
    "node-punycode.md": [
        "Introduction", "`punycode.decode(string)`", "`punycode.encode(string)`",
        "`punycode.toASCII(domain)`", "`punycode.toUnicode(domain)`", "`punycode.ucs2`",
        "`punycode.version`",
    ],
    "pip-installation.md": [
        "Introduction", "Supported Methods", "Alternative Methods", "Upgrading `pip`",
        "Compatibility",
    ],
    "pyenv-readme.md": [
        "Introduction", "Installation", "Usage", "Upgrading", "Uninstalling pyenv",
        "Pyenv plugins", "How It Works", "Advanced Configuration", "Development",
    ],
    # Its title, a byline under it, then sections numbered 1 to 6 and a closing paragraph.
    "plate-tectonics.txt": [
        "Introduction", "Wegener's Hypothesis", "Rejection", "Evidence from the Sea Floor",
        "The New Theory", "Consequences", "Conclusion",
    ],
    "python-policy.html": [
        "Abstract", "Copyright", "Completing the move to Python 3", "Python Packaging: Versions",
        "Main packages",
        "Virtual packages for Python-version specific dependencies", "Minimal packages",
        "Python Interpreter", "Module Path", "Hooks for updates to installed runtimes",
        "Documentation", "Packaged Modules", "Python Programs: Interpreter directive (“Shebang”)",
        "Programs using the default Python", "Programs Shipping Private Modules",
        "Programs Using a Particular Python Version", "Programs Embedding Python",
        "Interaction with Locally Installed Python Versions", "Build Dependencies",
        "Packaging Tools", "Upgrade Procedure", "This document",
    ],
    "rust-book-data-types.html": ["Introduction", "Scalar Types", "Compound Types"],
    "shared-mime-info-spec.html": [
        "Introduction: Version", "What is this spec?", "Language used in this specification",
    ],
    "users-and-groups.html": ["Introduction", "Users and Groups"],
    "valgrind-manual-intro.html": ["An Overview of Valgrind", "How to navigate this manual"],
    "valgrind-quick-start.html": [
        "Introduction", "Preparing your program", "Running your program under Memcheck",
        "Interpreting Memcheck's output", "Caveats", "More information",
    ],
}  # fmt: skip
TITLES = {
    "Apache-2.0.txt": "Apache License",
    "Artistic.txt": 'The "Artistic License"',
    "GPL-2.txt": "GNU General Public License: Version 2, June 1991",
    "GPL-3.txt": "GNU General Public License: Version 3, 29 June 2007",
    "MPL-2.0.txt": "Mozilla Public License Version 2.0",
    "attrs-description.md": "Attrs description",
    "idle-help.html": "IDLE",
    "libffi-introduction.html": (
        "Introduction (libffi: the portable foreign function interface library)"
    ),
    "node-gyp-readme.md": "`node-gyp` - Node.js native addon build tool",
    "node-punycode.md": "Punycode",
    "plate-tectonics.txt": "From Drifting Continents to Plate Tectonics",
    "pip-installation.md": "Installation",
    "pyenv-readme.md": "Simple Python Version Management: pyenv",
    "python-policy.html": "Debian Python Policy 0.12.0.0 documentation",
    "rust-book-data-types.html": "Data Types",
    "shared-mime-info-spec.html": "Shared MIME-info Database",
    "users-and-groups.html": "Users and Groups in the Debian System",
    "valgrind-manual-intro.html": "1. Introduction",
    "valgrind-quick-start.html": "The Valgrind Quick Start Guide",
}
AUTHORS = {
    "plate-tectonics.txt": "A. Student",
    "users-and-groups.html": "Joey Hess; Colin Watson; David Mandelberg",
    "shared-mime-info-spec.html": "Thomas Leonard",
}
_CARDS = re.compile(r"(\d+) cards?;")


def test_the_sample_is_the_one_pinned() -> None:
    files = sorted(p.name for p in CORPUS.iterdir())
    assert files == sorted(SECTIONS), files
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 1_500_000


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_real_document_ingests_passes_check_and_builds(name: str, here: Path, run: Runner) -> None:
    result = run("ingest", str(CORPUS / name), "--id", "doc")
    assert result.exit_code == 0, result
    reading = load_reading(here / "notes" / "doc")
    assert reading.title == TITLES[name], reading.title
    assert reading.author == AUTHORS.get(name), reading.author
    assert [s.title for s in reading.sections] == SECTIONS[name], [
        s.title for s in reading.sections
    ]
    check = run("check", "doc")
    assert check.exit_code == 0 and " 0 errors" in check.stdout, check
    cards = _CARDS.search(check.stdout)
    assert cards is not None, check.stdout
    deck = run("deck", "doc")
    assert deck.exit_code == 0, deck
    if cards.group(1) == "0":
        # A text with no sentence that makes a safe card is left to the student to card.
        assert "no deck: its notes make no cards yet" in deck.stdout, deck.stdout
        assert not (here / "cards" / "doc.apkg").exists()
        return
    col = import_deck(here / "cards" / "doc.apkg", here / "collection.anki2")
    try:
        assert col.card_count() == int(cards.group(1)), "the deck holds the cards check counted"
    finally:
        col.close()


# -- generated readings: links, badges, code, tables, lists, numbered and shouted headings ----

_WORDS = st.sampled_from(
    "harvest grain quota village commune county famine labour steel report target policy "
    "reform market price output canal campaign leader official household".split()
)
_PREFIX = st.sampled_from(["", "1. ", "2.3 ", "§ 4 ", "Chapter 5. ", "Article 6 - ", "IV. "])


@st.composite
def _blocks(draw: st.DrawFn) -> list[tuple[str, str, bool]]:
    """(kind, words, shout) for each block; every block but headings carries a marker word."""
    kinds = st.sampled_from(["heading", "paragraph", "link", "code", "table", "list", "badges"])
    blocks = []
    for _ in range(draw(st.integers(min_value=1, max_value=9))):
        words = " ".join(draw(st.lists(_WORDS, min_size=2, max_size=9)))
        blocks.append((draw(kinds), draw(_PREFIX) + words, draw(st.booleans())))
    return blocks


def _markdown(blocks: list[tuple[str, str, bool]]) -> tuple[str, list[str]]:
    parts, markers = ["# A Generated Reading\n\n"], []
    for n, (kind, words, shout) in enumerate(blocks):
        marker = f"zqmark{n}"
        if kind == "heading":
            heading = words.upper() if shout else words.title()
            parts.append(f"## {heading}\n\n" if n % 2 else f"{heading}\n{'-' * len(heading)}\n\n")
            continue
        markers.append(marker)
        sentence = f"The {words} grew in {1950 + n} with {marker}."
        parts.append(
            {
                "paragraph": f"{sentence} It was *reported* by the **county**.\n\n",
                "link": f"{sentence} See [the {words}](https://example.org/{n}) and `x = {n}`.\n\n",
                "code": f"{sentence}\n\n```python\nprint('{marker}')  # {words}\n```\n\n",
                "table": (
                    f"{sentence}\n\n| Year | {marker} |\n|---|---|\n| {1950 + n} | {words} |\n\n"
                ),
                "list": f"{sentence}\n\n- {words}\n- [{marker} link](https://example.org/l)\n\n",
                "badges": (
                    f"[![build](https://ci.example/{n}.svg)](https://ci.example) {sentence}\n\n"
                ),
            }[kind]
        )
    parts.append("## Contents\n\n- [One](#one)\n- [Two](#two)\n")
    return "".join(parts), markers


def _html(blocks: list[tuple[str, str, bool]]) -> tuple[str, list[str]]:
    parts = ["<html><head><title>A Generated Page</title></head><body>"]
    parts.append(
        '<nav><ul><li><a href="a.html">A</a></li><li><a href="b.html">B</a></li></ul></nav>'
    )
    parts.append("<main><h1>A Generated Page</h1>")
    markers = []
    for n, (kind, words, shout) in enumerate(blocks):
        marker = f"zqmark{n}"
        if kind == "heading":
            heading = words.upper() if shout else words.title()
            parts.append(f'<h2>{heading}<a class="headerlink" href="#h{n}">¶</a></h2>')
            continue
        markers.append(marker)
        sentence = f"The {words} grew in {1950 + n} with {marker}."
        parts.append(
            {
                "paragraph": f"<p>{sentence} It was <em>reported</em> by the county.</p>",
                "link": (
                    f'<p>{sentence} See <a href="https://example.org/{n}">it</a>, <code>x</code>.'
                    "</p>"
                ),
                "code": f"<p>{sentence}</p><pre>print('{marker}')\n  # {words}</pre>",
                "table": f"<p>{sentence}</p><table><tr><th>Year</th><th>{marker}</th></tr>"
                f"<tr><td>{1950 + n}</td><td>{words}</td></tr></table>",
                "list": f"<p>{sentence}</p><ul><li>{words}</li><li>{marker} item</li></ul>",
                "badges": f'<p><a href="https://ci.example"><img src="b.svg" alt="build"></a> '
                f"{sentence}</p>",
            }[kind]
        )
    parts.append('<div class="toc"><ul><li><a href="#x">X</a></li></ul></div></main>')
    parts.append("<footer><p>Copyright zqfooter</p></footer></body></html>")
    return "".join(parts), markers


@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(blocks=_blocks(), fmt=st.sampled_from(["md", "html"]))
def test_generated_reading_ingests_passes_check_and_builds(
    blocks: list[tuple[str, str, bool]], fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text, markers = _markdown(blocks) if fmt == "md" else _html(blocks)
    if not markers:
        return
    folder = tmp_path_factory.mktemp("generated")
    (folder / f"reading.{fmt}").write_text(text, encoding="utf-8")
    notes = str(folder / "notes")
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", str(folder / f"reading.{fmt}"), "--notes", notes])
    assert ingest.exit_code == 0, (ingest.output, text)
    reading = load_reading(folder / "notes" / "reading")
    excerpts = "\n".join(s.excerpt or "" for s in reading.sections)
    found = re.findall(r"zq\w+", excerpts)
    assert found == [m for m in markers for _ in range(_uses(text, m))], (found, text)
    for section in reading.sections:
        assert not re.match(r"(?:\d|§|Chapter |Article |IV\.)", section.title), section.title
        assert section.title.upper() != section.title or not any(c.isalpha() for c in section.title)
    check = runner.invoke(app, ["check", "reading", "--notes", notes])
    assert check.exit_code == 0 and " 0 errors" in check.stdout, (check.output, text)
    deck = runner.invoke(
        app, ["deck", "reading", "--notes", notes, "-o", str(folder / "reading.apkg")]
    )
    assert deck.exit_code == 0, (deck.output, text)
    cards = _CARDS.search(check.stdout)
    assert cards is not None, check.stdout
    built = folder / "reading.apkg"
    assert built.exists() == (int(cards.group(1)) > 0), (deck.output, check.stdout)


def _uses(text: str, marker: str) -> int:
    """How many times the reading's text shows the marker (a table or a list repeats it)."""
    return len(re.findall(rf"{marker}\b", text))
