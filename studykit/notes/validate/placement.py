"""Where a reading's files lie: inside the notes folder, under one name (their names are
`notes.naming`'s).

A link out of the notes folder, or a second name for a reading folder, is refused before
anything reads the file or folder it leads to.
"""

from __future__ import annotations

from pathlib import Path

from studykit.errors import Problem


def notes_root(folder: Path) -> Path:
    """The real path of the notes folder a reading folder lies in: the folder holding it as
    named, so that a reading folder which is a link elsewhere is not its own notes folder.
    A notes folder that is itself a link is fine: its real path is the one compared."""
    return folder.absolute().parent.resolve()  # absolute(), not resolve(): links kept


def outside_notes(path: Path, root: Path) -> Problem | None:
    """The problem with a file or folder whose real path lies outside the notes folder `root`.

    Such a link is refused before anything reads it, and named as written: its content (a
    YAML error would quote it, a card would show it) never reaches a message or a deck.
    """
    if lies_in(path, root):
        return None
    what = "reading folder" if path.is_dir() else "file"
    return Problem(
        path,
        0,
        0,
        f"this {what} is a link to a place outside the notes folder, which studykit does not "
        f"read: put the {what} itself in the notes folder",
    )


def same_folder(folder: Path) -> Problem | None:
    """The problem with a reading folder that is a link to the folder of another reading of the
    same notes (`notes/s -> r`), or to a folder another reading folder links to as well.

    One folder read under two names is two readings of the same notes: two decks whose notes
    carry the same GUIDs (importing both moves the notes from one deck to the other), and one
    identity record and one set of cards in the review store shared by both. A link to a folder
    no other reading folder names is one reading, and is read as before.
    """
    if not folder.is_symlink():  # only a link can be a second name: checked for links alone
        return None
    try:
        real = folder.resolve()
        target = folder.readlink()
        siblings = sorted(folder.absolute().parent.iterdir())
    except (OSError, RuntimeError):  # a loop, or gone meanwhile: reading it says what is wrong
        return None
    for other in siblings:
        if other.name == folder.name or other.name.startswith("."):
            continue  # a hidden folder is no reading (`library.reading_folders`)
        try:
            if not other.is_dir() or other.resolve() != real:
                continue
        except (OSError, RuntimeError):
            continue
        if other.is_symlink():
            what = f"a link to {target}, which reading folder {other.name} links to as well"
        else:
            what = f"a link to {target}, which is reading {other.name}"
        return Problem(
            folder,
            0,
            0,
            f"this reading folder is {what}: one reading under two names makes two decks of the "
            "same notes, with the same note GUIDs; remove the link (a reading is renamed by "
            "renaming its folder)",
        )
    return None


def lies_in(path: Path, root: Path) -> bool:
    """Whether the real path of `path` lies in the folder `root` (a real path)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop, or a name the system refuses
        return False
