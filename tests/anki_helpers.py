"""Opening built decks with Anki's own library, the way a student's Anki imports them."""

from __future__ import annotations

import re
import time
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions


def import_deck(apkg: Path, collection: Path) -> Collection:
    """Import a package into the collection at `collection` (created if new); return it reopened.

    Reopening matters: the collection's note type cache goes stale after an import.
    """
    col = Collection(str(collection))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
        )
    finally:
        col.close()
    return Collection(str(collection))


def visible_text(html: str) -> str:
    """What the student reads: the card's HTML without style blocks, tags and extra spaces."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.DOTALL)
    html = re.sub(r"</?(?:span|b|i|u|strong|em|code|a)\b[^>]*>", "", html)  # inline: no gap
    html = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#x27;", "'")):
        html = html.replace(entity, char)
    html = html.replace("&amp;", "&").replace("&nbsp;", " ")
    return " ".join(html.split())


def cards_by_question(col: Collection) -> dict[str, list[object]]:
    """Every card keyed by the visible text of its question side."""
    found: dict[str, list[object]] = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        found.setdefault(visible_text(card.question()), []).append(card)
    return found


def demo_deck(root: Path) -> Path:
    """The test notes (`tests/data/notes`) copied into `root` and built by `studykit deck`
    there: the deck a student would import into Anki."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(Path(__file__).parent / "data" / "notes", root / "notes")
    done = subprocess.run(
        [sys.executable, "-m", "studykit", "deck"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return root / "cards" / "demo.apkg"


def studied_collection(deck: Path, out: Path, *sql: str, parameters: object = None) -> Path:
    """The deck imported with its scheduling into a new collection, then `sql` run on it
    ({cid}: the first card's id, {now}: now in epoch ms); `parameters`: the Default preset's."""
    col = Collection(str(out))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(deck),
                options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False),
            )
        )
        cid = col.db.scalar("select min(id) from cards")
        now = int(time.time() * 1000)
        for statement in sql:
            col.db.execute(statement.format(cid=cid, now=now))
        if parameters is not None:
            config = col.decks.get_config(1)
            config["fsrsParams5"] = config["fsrsParams6"] = parameters
            col.decks.update_config(config)
    finally:
        col.close()
    return out
