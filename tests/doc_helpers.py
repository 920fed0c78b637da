"""What the README's and docs/'s shell examples promise, checked on what each command printed and
wrote; and the reading of those pages: their shell blocks, links and headings.

A ```sh block is run, line by line. A ```sh-session block shows commands no test can run (an
hour of mutation testing, an install from the network); `SESSIONS` names every one, so a new
one is a decision, not a slip. Output shown for a command is a ```text block."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from anki_helpers import import_deck
from conftest import REPO, Run

DOCS = REPO / "docs"

# The commands of ```sh-session blocks, page by page: never run by a test, and why.
SESSIONS = {
    # An hour of mutation testing, and extras installed from the network.
    "testing.md": [
        "pip install -e '.[test,mutation]'",
        "python benchmarks/mutation.py --survivors",
    ],
}

# What `studykit pull backup.colpkg` prints for the backup `anki_backup` makes: three answers of
# the shipped deck in Anki, one note of the student's own.
PULLED = (
    "pulled backup.colpkg: 3 answers merged, 3 cards updated\n"
    "ignored 1 note studykit did not make; 120 studykit cards Anki has not seen\n"
    "review now schedules with Anki preset 'Default' (desired retention 0.90, FSRS's default "
    "parameters)\n"
)
OPTIMIZED_NOTHING = "no answers yet: a fit needs 400; review keeps the FSRS defaults\n"
OPTIMIZED_PULLED = (
    "0 of your 3 answers count (0 cards): each a day or more after its card's answer before\n"
    "400 more answers that count are needed before a fit (Anki fits from 400); review keeps the "
    "Anki preset 'Default'\n"
)


def pages() -> list[Path]:
    """The README and every page of docs/."""
    return [REPO / "README.md", *sorted(DOCS.glob("*.md"))]


def fenced(text: str) -> list[tuple[str, str]]:
    """Every fenced block of a Markdown text: (info string, body)."""
    return re.findall(r"^```([^\n`]*)\n(.*?)^```\s*$", text, flags=re.DOTALL | re.MULTILINE)


def sh_blocks(text: str) -> list[str]:
    """The ```sh blocks of a Markdown text, the ones a test runs."""
    return [body for info, body in fenced(text) if info.strip() == "sh"]


def studykit_words(line: str) -> tuple[list[str], str | None]:
    """The `studykit` command of a shell line, without the command's name, and the file its
    output is redirected to (None where it is printed)."""
    for part in re.split(r"&&|\|", line):
        command, _, target = part.partition(">")
        words = shlex.split(command)
        if words and words[0] == "studykit":
            return words[1:], (shlex.split(target)[0] if target.strip() else None)
    return [], None


def files() -> dict[Path, bytes]:
    """Every file under the current folder, with its content."""
    return {path: path.read_bytes() for path in Path().rglob("*") if path.is_file()}


def report_rows(stdout: str) -> dict[str, tuple[int, int]]:
    """A deck report's table: section row (`01 Introduction`, `total`) -> (notes, cards)."""
    rows = {}
    for line in stdout.splitlines():
        match = re.fullmatch(r"\s+(\d\d .+?|total)\s+(\d+)\s+(\d+)\b.*", line)
        if match:
            rows[match[1]] = (int(match[2]), int(match[3]))
    return rows


def deck_matches_its_report(deck: Path, stdout: str, collection: Path) -> None:
    """The deck holds, per section subdeck and in total, what the report said it holds."""
    rows = report_rows(stdout)
    assert "total" in rows, f"the report has a table with a total: {stdout}"
    col = import_deck(deck, collection)
    try:
        assert (col.note_count(), len(col.find_cards(""))) == rows["total"], stdout
        for name, (_, cards) in rows.items():
            if name != "total":
                found = col.find_cards(f'"deck:*::{name}"')
                assert len(found) == cards, f"subdeck {name!r}: {len(found)} cards, {stdout}"
    finally:
        col.close()


def anki_backup(target: Path, deck: Path, scratch: Path) -> None:
    """A student's backup (`.colpkg`) of a collection that imported `deck`, holds one note of
    the student's own, and has the deck's first three cards answered Good in Anki, now."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions
    from anki.scheduler.v3 import CardAnswer

    scratch.mkdir(parents=True, exist_ok=True)
    col = Collection(str(scratch / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(deck), options=ImportAnkiPackageOptions())
        )
        col.set_config("fsrs", True)
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "mine", "not studykit's"
        col.add_note(note, 1)
        for cid in sorted(col.find_cards("tag:studykit"))[:3]:
            card = col.get_card(cid)
            card.start_timer()
            states = col._backend.get_scheduling_states(card.id)
            answer = col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
            col.sched.answer_card(answer)
        col.export_collection_package(str(target), include_media=False, legacy=False)
    finally:
        col.close()


def answers_piped(line: str) -> int | None:
    """How many grades a `printf '...' | studykit review` line answers with (None: no pipe)."""
    match = re.match(r"printf '([^']*)' \|", line)
    if not match:
        return None
    return sum(1 for action in match[1].split("\\n") if action in {"1", "2", "3", "4"})


def promise(args: list[str], result: Run, seen: dict[str, object], tmp: Path, line: str) -> None:
    """What the README and docs/ say each of their commands does, checked on what it printed
    and wrote. `seen` carries what earlier commands showed: `cards` (the notes' card count),
    `files` (every file before this command), `pulled` (whether answers came from Anki)."""
    out = result.stdout
    command = " ".join(args)
    before = seen["files"]
    assert isinstance(before, dict)
    changed = {p for p, data in files().items() if before.get(p) != data}
    changed |= {p for p in before if not p.exists()}
    if "drafts" in args:
        # The trial on the shipped essay touches nothing of the student's: all goes to drafts/.
        assert all(p.parts[0] == "drafts" for p in changed), f"{command}: {sorted(changed)}"
    if command == "deck" and "up to date" in out:
        assert out.startswith(
            "mao-collectivization: up to date (cards/mao-collectivization.apkg, 101 notes, "
            f"{seen['cards']} cards); nothing changed since the last build"
        ), out
        assert not changed, f"an up-to-date deck is left as it is: {sorted(changed)}"
    elif command == "deck":
        deck_matches_its_report(Path("cards/mao-collectivization.apkg"), out, tmp / "a.anki2")
        seen["cards"] = report_rows(out)["total"][1]
    elif command == "deck --dry-run":
        assert "mao-collectivization: " in out, out
        assert not changed, f"--dry-run writes nothing: {sorted(changed)}"
    elif command == "deck --json":
        assert json.loads(out)["decks"][0]["cards"] == seen["cards"], out
    elif command == "deck --with-progress":
        answered = seen.get("answered", 0)
        assert isinstance(answered, int)
        if answered:
            plural = "card carries its" if answered == 1 else "cards carry their"
            assert f"{answered} {plural} terminal progress" in out, out
            assert "Anki keeps its own schedule for cards it already has" in out, out
            deck_matches_its_report(Path("cards/mao-collectivization.apkg"), out, tmp / "p.anki2")
        else:
            assert "No review progress yet" in out, out
    elif args[0] == "ingest":
        folder = Path("drafts/mao-draft")
        source = Path(args[1])
        assert (folder / source.name).read_bytes() == source.read_bytes(), "copied byte for byte"
        from studykit.notes.validate import load_reading

        assert load_reading(folder).source == source.name, "reading.yaml names the copy"
        names = sorted(p.name for p in folder.glob("[0-9][0-9]-*.yaml"))
        assert names and names[0] == "01-introduction.yaml", f"one file per section: {names}"
        assert all(name in out for name in names), f"the sections are listed: {out}"
        assert "studykit check mao-draft" in out, f"it ends with the next step: {out}"
    elif args[0] == "check":
        assert re.search(r"^ok: 1 reading, 5 sections, \d+ cards?;", out, re.M), out
        if args == ["check"]:
            assert (
                out == f"ok: 1 reading, 5 sections, {seen['cards']} cards; 0 errors, 0 warnings\n"
            )
    elif command == "deck mao-draft --notes drafts -o drafts/":
        deck_matches_its_report(Path("drafts/mao-draft.apkg"), out, tmp / "b.anki2")
    elif command == "list":
        assert re.search(rf"^ mao-collectivization .* {seen['cards']} $", out, re.M), out
        assert all(f"0{n} " in out for n in range(1, 6)), f"a row per section: {out}"
    elif args[0] == "show":
        assert out.startswith("The Failure of Mao Zedong's Collectivization\n"), out[:200]
        assert "02 Policies and Economic Miscalculations" in out and "\nSummary\n" in out, out
    elif command == "outline -f pdf":
        from pypdf import PdfReader

        pdf = Path("mao-collectivization-outline.pdf")
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "Collectivization" in text and "Introduction" in text, text[:500]
    elif args[:2] == ["outline", "-f"] and "-o" in args:
        html = Path(args[args.index("-o") + 1]).read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html"), html[:200]
        assert "The Failure of Mao Zedong" in html, html[:500]
    elif args[0] == "summary":
        assert out.startswith("The Failure of Mao Zedong's Collectivization\n"), out[:200]
        assert all(f"{n}. {t}" in out for n, t in [(1, "Introduction"), (5, "Conclusion")]), out
    elif args[0] == "review":
        new = args[args.index("--new") + 1] if "--new" in args else "20"
        assert out.startswith(f"{new} new "), f"the top line counts new cards: {out[:200]}"
        assert "\nQ: " in out, f"a card shows its question: {out}"
        assert "Session ended; every answer is saved." in out, out
        answered = answers_piped(line)
        if answered is not None:
            assert f"\n{answered} answer{'' if answered == 1 else 's'} in " in out, out
            seen["answered"] = int(str(seen.get("answered", 0))) + answered
    elif command == "stats":
        assert f"{seen['cards']} cards · " in out, f"as many cards as the deck: {out}"
    elif command == "stats --json":
        assert json.loads(out)["cards"] == seen["cards"], f"as many cards as the deck: {out}"
    elif command == "unsuspend --list":
        assert out == "no suspended cards in mao-collectivization\n", out
    elif args[0] == "pull":
        assert out == PULLED, out
        seen["pulled"] = True
    elif args[0] == "optimize":
        # Answers that count are a day or more after the card's answer before: none yet here.
        assert out == (OPTIMIZED_PULLED if seen.get("pulled") else OPTIMIZED_NOTHING), out
    elif args[0] == "schema":
        import jsonschema
        import yaml

        schema = json.loads(out)
        jsonschema.validators.validator_for(schema).check_schema(schema)
        folder = Path("notes/mao-collectivization")
        notes = [folder / "reading.yaml"] if args[1] == "reading" else sorted(folder.glob("0*"))
        for file in notes:
            jsonschema.validate(yaml.safe_load(file.read_text(encoding="utf-8")), schema)
    else:
        raise AssertionError(f"doc_helpers.py has no check of what `studykit {command}` does")


def prepare(args: list[str], tmp: Path) -> None:
    """What a command needs that a student would have made outside studykit: the Anki backup
    `pull` reads, from the deck a student imported (built first if the page has not)."""
    if args[0] == "pull" and not Path(args[1]).exists():
        deck = Path("cards/mao-collectivization.apkg")
        if not deck.exists():
            from typer.testing import CliRunner

            from studykit.cli.app import app

            built = CliRunner().invoke(app, ["deck"])
            assert built.exit_code == 0, built.output
        anki_backup(Path(args[1]), deck, tmp / "anki")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a Markdown text's headings, outside fenced blocks."""
    prose = re.sub(r"^```.*?^```\s*$", "", text, flags=re.DOTALL | re.MULTILINE)
    return {slug(m[1]) for m in re.finditer(r"^#{1,6} (.+)$", prose, flags=re.MULTILINE)}


def relative_links(text: str) -> list[str]:
    """The targets of a Markdown text's links that are not web addresses, outside code."""
    prose = re.sub(r"^```.*?^```\s*$", "", text, flags=re.DOTALL | re.MULTILINE)
    prose = re.sub(r"(`+).*?\1", "", prose, flags=re.DOTALL)
    targets = re.findall(r"\]\(([^)\s]+)\)", prose)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]
