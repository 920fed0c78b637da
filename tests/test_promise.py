"""The promise `check` makes, tested on generated notes: what it accepts, every command accepts.

Notes are generated from the pieces students write — Markdown links, autolinks, bare URLs,
inline code, emphasis, images, `$...$` and `$$...$$` math, HTML-special characters, CJK,
pinyin with tone marks — with cloze markers placed anywhere. Where `check` passes, `deck`
(and its dry run), `outline` in every format and `--answers` mode, `summary` in every format,
`show`, `review` and `stats` exit 0, and the deck imports into a real Anki collection with the
cards `check` counted. Where `check` refuses, every command refuses with located lines, no
traceback, and writes nothing.

The normal test command runs these derandomised (see conftest.py), so a submission never fails
on a case nobody changed; `HYPOTHESIS_PROFILE=thorough` runs the longer random search. Cases
the search has found are kept below as `@example`s.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki_helpers import import_deck
from conftest import DATA, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from studykit.cli.app import app

# A 1x1 PNG, so that an image a note shows exists in the reading's folder.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)

PIECES = [
    "Mao", "the commune", "1958", " ", " ", " and ", ", ", ". ",
    "光合作用", "大跃进", "Nǚ", "lǜ", "Dèng Xiǎopíng", "Café", "e\u0301",
    "a<b", "x > y", "&", "&amp;", "&lt;", '"quoted"', "'", "<script>alert(1)</script>",
    "<b>", "*", "_", "**bold**", "*em*", "_em_", "`code`", "`a<b`", "`{x}`", "``",
    "[the guide](https://example.com/g.html)", "[a <b>](https://e.org)", "[l](./GOVERNANCE.md)",
    "<https://e.org/a>", "https://e.org/p?q=1&r=2", "Node.js", "…/pull/150590",
    "$x^2$", "$$\\frac{a}{b}$$", "\\(a_1\\)", "\\[l](https://e.org)\\]", "$E = h\\nu$", "$",
    "![map](map.png)", "![](map.png)", "\\{{", "{", "}", ":", "::", "\\", "#", "> ", "- ", "|",
    "{{", "}}", "{{", "}}", "::hint", "{{1959}}", "{{Lushan::place}}",
    "![", "[", "](map.png)", "](https://e.org/p)", '](https://e.org "a title")', "](",
]  # fmt: skip

TEXT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


def quoted(text: str) -> str:
    """A YAML single-quoted scalar: every character as written, `'` doubled."""
    return "'" + " ".join(text.replace("'", "''").split("\n")) + "'"


@dataclass(frozen=True)
class Notes:
    points: list[str]
    term: tuple[str, str] | None
    question: tuple[str, str] | None
    summary: str | None
    reading_summary: str | None

    def section_yaml(self) -> str:
        lines = ["title: 'The Leap: 大跃进 & <Mao>'"]
        if self.summary is not None:
            lines.append(f"summary: {quoted(self.summary)}")
        if self.points:
            lines += ["points:", *(f"  - {quoted(point)}" for point in self.points)]
        if self.term is not None:
            term, definition = self.term
            lines += [
                "terms:",
                f"  - term: {quoted(term)}",
                f"    definition: {quoted(definition)}",
            ]
        if self.question is not None:
            q, a = self.question
            lines += ["questions:", f"  - q: {quoted(q)}", f"    a: {quoted(a)}"]
        return "\n".join(lines) + "\n"

    def write(self, notes: Path) -> None:
        folder = notes / "leap"
        folder.mkdir(parents=True)
        reading = ["title: 'Leap <&> 光合作用'", "reverse_terms: true"]
        if self.reading_summary is not None:
            reading.append(f"summary: {quoted(self.reading_summary)}")
        (folder / "reading.yaml").write_text("\n".join(reading) + "\n", encoding="utf-8")
        (folder / "01-leap.yaml").write_text(self.section_yaml(), encoding="utf-8")
        (folder / "map.png").write_bytes(PNG)


NOTES = st.builds(
    Notes,
    points=st.lists(TEXT, max_size=3),
    term=st.none() | st.tuples(TEXT, TEXT),
    question=st.none() | st.tuples(TEXT, TEXT),
    summary=st.none() | TEXT,
    reading_summary=st.none() | TEXT,
)

LOCATED = re.compile(r"notes/leap/[\w.-]+:\d+:\d+: (error|warning): \S")


def _commands(work: Path) -> list[list[str]]:
    outlines = [
        ["outline", "leap", "-f", fmt, "--answers", answers, "-o", str(work / f"o-{answers}.{fmt}")]
        for fmt in ("md", "html", "pdf")
        for answers in ("inline", "end", "none")
    ]
    summaries = [["summary", "leap", "-f", fmt] for fmt in ("text", "md", "html")]
    state = ["--state", str(work / "review.db")]
    return [
        ["deck", "--dry-run"],
        ["deck"],
        *outlines,
        *summaries,
        ["show", "leap"],
        ["list", "--json"],
        ["review", "leap", *state],
        ["stats", "leap", *state],
    ]


def _keeps_the_promise(notes: Notes) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        work = Path(folder)
        notes.write(work / "notes")
        env = {"STUDYKIT_NOTES": "notes", "STUDYKIT_NOW": "2026-03-02T09:00:00+00:00"}

        def run(args: list[str], input: str | None = None) -> tuple[int, str, str]:
            done = runner.invoke(app, args, input=input, env=env, catch_exceptions=True)
            if done.exception is not None and not isinstance(done.exception, SystemExit):
                raise AssertionError(f"{args}: {done.exception!r}") from done.exception
            return done.exit_code, done.stdout, done.stderr

        code, out, err = run(["check"])
        assert "Traceback" not in out + err, err
        if code != 0:
            problems = [line for line in err.splitlines() if line.startswith("notes/")]
            assert problems, err
            assert all(LOCATED.match(line) for line in problems), err
            for args in (["deck"], ["deck", "--dry-run"], ["outline", "leap"], ["summary"]):
                refused, out, err = run(args)
                assert refused == 1, (args, out, err)
                assert "Traceback" not in out + err, (args, err)
            made = sorted(p.name for p in (work / "notes" / "leap").iterdir())
            assert made == ["01-leap.yaml", "map.png", "reading.yaml"], "a refusal writes nothing"
            assert not (work / "cards").exists(), "a refusal writes no deck"
            return
        counted = re.search(r"(\d+) cards?;", out)
        assert counted is not None, out
        cards = int(counted.group(1))
        for args in _commands(work):
            answers = "\n3\n" * 6 + "q\n" if args[0] == "review" else None
            code, out, err = run(args, answers)
            assert code == 0, (args, out, err)
        if cards:
            col = import_deck(work / "cards" / "leap.apkg", work / "collection.anki2")
            try:
                assert col.card_count() == cards, f"check counted {cards}"
                for cid in col.find_cards(""):
                    card = col.get_card(cid)
                    assert card.question() != card.answer(), card.question()
            finally:
                col.close()


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(NOTES)
@example(
    Notes(
        ["See [the guide](https://example.com/{{guide}}.html) for the {{details}}."],
        None,
        None,
        None,
        None,
    )
)
@example(Notes(["Call `print({{x*y*z}})`, or $E = h{{\\nu}}$ in {{1905}}."], None, None, "s", None))
@example(Notes(["![map]({{map}}.png) and <https://e.org/{{x}}>"], None, None, None, None))
@example(Notes(["{{**a}}** and {{`b`}} `{{c}}`"], ("`a<b`", "<i>x</i> & y"), None, None, "$x$"))
@example(Notes(["\\[l](https://e.org)\\] {{x}}"], None, ("Who?", "{{no}} cloze here"), "", None))
def test_what_check_accepts_every_command_accepts(notes: Notes) -> None:
    _keeps_the_promise(notes)  # fmt: skip


def test_drafts_of_a_project_readme_build_print_show_and_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A README with badges, links to files and anchors, code and bare URLs: `ingest` drafts
    notes that check, and every command then takes them."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    env = {"STUDYKIT_NOTES": "notes", "STUDYKIT_NOW": "2026-03-02T09:00:00+00:00"}

    def run(*args: str, input: str | None = None) -> str:
        done = runner.invoke(app, list(args), input=input, env=env)
        assert done.exit_code == 0, (args, done.stdout, done.stderr)
        return done.stdout

    run("ingest", str(DATA / "ingest" / "project-readme.md"), "--id", "node")
    drafted = "".join(p.read_text(encoding="utf-8") for p in Path("notes/node").glob("0*.yaml"))
    clozes = re.findall(r"\{\{[^}]*\}\}", drafted)
    assert clozes, "the drafts hold cloze points"
    for inside in ("{{GOVERNANCE}}", "{{Node}}", "{{150590}}", "{{Release}}", "{{BUILDING}}"):
        assert inside not in clozes, f"{inside} hides part of a link, a name or a URL"
    assert "ok: 1 reading" in run("check", "node")
    assert "wrote cards/node.apkg" in run("deck", "node")
    for fmt in ("md", "html", "pdf"):
        run("outline", "node", "-f", fmt, "-o", f"node.{fmt}")
    run("summary", "node")
    run("show", "node")
    run("review", "node", "--state", "review.db", input="\n3\n" * 4 + "q\n")
