"""Nothing outside the notes folder reaches a message, a card, a deck or a handout.

Each test first reproduces what the audit found (a linked section file printed /etc/passwd in
its error; image references the old pattern missed reached cards unchecked; a text file named
`.png` and a 200 MB image passed), then pins what a student sees now: one located error line
that quotes none of the refused file, or the image packaged and shown on the card.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import Run, Runner

from studykit.media import image_kind

DECK = Path("cards/demo.apkg")
SECTION = "notes/demo/03-images.yaml"
# A one-pixel PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000185d114090000000049454e44ae426082"
)
# What a refused file holds: none of it may appear in any output.
SECRET = "root:x:0:0:SECRET-PASSWORD-LINE:/root:/bin/bash\n" * 40
LINKED = (
    "this file is a link to a place outside the notes folder, which studykit does not read: "
    "put the file itself in the notes folder"
)


def _quoted(text: str) -> str:
    """A YAML single-quoted scalar: only `'` needs doubling."""
    return "'" + text.replace("'", "''") + "'"


def _errors(result: Run) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def _secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "private" / "passwords.yaml"
    outside.parent.mkdir()
    outside.write_text(SECRET, encoding="utf-8")
    return outside


# -- section files and reading folders -------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "code"), [(["check"], 1), (["deck"], 1), (["list"], 1), (["show", "demo"], 0)]
)
def test_a_section_file_linked_out_of_the_notes_is_refused_unread(
    notes: Path, run: Runner, tmp_path: Path, command: list[str], code: int
) -> None:
    """`show` shows the sections that load and names the refused one, as for any broken file."""
    (notes / "demo" / "03-secret.yaml").symlink_to(_secret_file(tmp_path))
    result = run(*command)
    assert result.exit_code == code, result
    assert f"notes/demo/03-secret.yaml: error: {LINKED}" in _errors(result) or (
        f"warning: notes/demo/03-secret.yaml: section not shown, it has errors ({LINKED}); "
        "run studykit check" in result.stderr.splitlines()
    ), result
    assert "SECRET" not in result.output and "root:x" not in result.output, result
    assert not DECK.exists(), "no deck is built from a reading with a refused file"


def test_a_section_file_linked_to_etc_passwd_prints_none_of_it(notes: Path, run: Runner) -> None:
    """The audit's case: a YAML error used to quote ~1,200 characters of the file."""
    if not Path("/etc/passwd").is_file():
        pytest.skip("no /etc/passwd on this system")
    (notes / "demo" / "03-evil.yaml").symlink_to("/etc/passwd")
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [f"notes/demo/03-evil.yaml: error: {LINKED}"], result
    assert "root" not in result.output, result


def test_a_reading_folder_linked_out_of_the_notes_is_refused_unread(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "reading.yaml").write_text("title: Secret reading\n", encoding="utf-8")
    (elsewhere / "01-s.yaml").write_text(
        "title: S\nsummary: s\nquestions:\n  - q: What is SECRET-PASSWORD-LINE?\n    a: it\n",
        encoding="utf-8",
    )
    (notes / "evil").symlink_to(elsewhere, target_is_directory=True)
    for command in (["check"], ["deck", "evil"], ["outline", "evil"]):
        result = run(*command)
        assert result.exit_code == 1, result
        assert _errors(result) == [
            "notes/evil: error: this reading folder is a link to a place outside the notes "
            "folder, which studykit does not read: put the reading folder itself in the notes "
            "folder"
        ], result
        assert "SECRET" not in result.output and "Secret" not in result.output, result
    assert not Path("cards/evil.apkg").exists(), "no deck of the outside reading"


def test_a_reading_yaml_linked_out_of_the_notes_is_refused_unread(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    reading = notes / "demo" / "reading.yaml"
    reading.unlink()
    reading.symlink_to(_secret_file(tmp_path))
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [f"notes/demo/reading.yaml: error: {LINKED}"], result
    assert "SECRET" not in result.output, result


def test_links_that_stay_inside_the_notes_folder_are_followed(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    """A notes folder that is itself a link, a reading linked beside it, a section file linked
    from another reading: all inside the notes folder's real path."""
    real = tmp_path / "real-notes"
    notes.rename(real)
    notes.symlink_to(real, target_is_directory=True)
    (real / "again").mkdir()
    (real / "again" / "reading.yaml").write_text("title: Again\n", encoding="utf-8")
    (real / "again" / "01-shared.yaml").symlink_to(real / "demo" / "02-more.yaml")
    (real / "alias").symlink_to(real / "demo", target_is_directory=True)
    result = run("check")
    assert result.exit_code == 0, result
    assert "ok: 3 readings" in result.stdout, result


# -- every form of image reference -----------------------------------------------------------


def _section(notes: Path, *questions: str, points: tuple[str, ...] = ()) -> None:
    """A section of questions, then points, each text single-quoted: a question's text starts
    at column 9 of lines 4, 6, ...; a point's at column 6."""
    lines = ["title: Images", "summary: s"]
    lines += ["questions:"] if questions else []
    for question in questions:
        lines += [f"  - q: {_quoted(question)}", "    a: here"]
    lines += ["points:"] if points else []
    lines += [f"  - {_quoted(point)}" for point in points]
    (notes / "demo" / "03-images.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("reference", "error"),
    [
        (
            "![t](../../../../etc/passwd (t))",
            "9: error: image '../../../../etc/passwd' lies outside",
        ),
        ("![a [b] c](x)", "9: error: image 'x' not found"),
        ("![t](x 'title')", "9: error: image 'x' not found"),
        ("![t](<../../../etc/pass wd>)", "9: error: image '../../../etc/pass wd' lies outside"),
        ("![t](../../../etc/pass\\)wd)", "9: error: image '../../../etc/pass)wd' lies outside"),
        ("![t](%2E%2E/%2E%2E/x.png)", "9: error: image '../../x.png' lies outside"),
        ("[![t](../../x.png)](https://e.org)", "10: error: image '../../x.png' lies outside"),
    ],
)
def test_every_image_form_reaches_the_resolver(
    notes: Path, run: Runner, reference: str, error: str
) -> None:
    """The first three passed `check` and put `<img src="../../../../etc/passwd">` on a card;
    each error names the line and column of the reference's `![`."""
    _section(notes, reference)
    result = run("check")
    assert result.exit_code == 1, result
    [line] = _errors(result)
    assert line.startswith(f"{SECTION}:4:{error}"), result
    built = run("deck")
    assert built.exit_code == 1 and not DECK.exists(), built


def test_an_image_in_a_deletion_is_found_where_the_card_renders_it(
    notes: Path, run: Runner
) -> None:
    """A deletion's answer renders on its own: an answer holding a backtick must not hide
    the image behind it from the check, as reading the text whole would."""
    _section(notes, points=("The {{`}} map ![m](../../x.png) `x", "See {{![m](../../y.png)}}"))
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [
        f"{SECTION}:4:20: error: image '../../x.png' lies outside the reading's folder",
        f"{SECTION}:5:12: error: image '../../y.png' lies outside the reading's folder",
    ], result


def test_a_valid_image_in_any_form_is_packaged_and_shown(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    """A valid image written with a title was left out of the deck; every form shows now."""
    (notes / "demo" / "map.png").write_bytes(PNG)
    (notes / "demo" / "my map.png").write_bytes(PNG)
    forms = [
        "![t](map.png 'title')",
        '![t](map.png "title")',
        "![t](map.png (title))",
        "![a [b] c](map.png)",
        "![t](<my map.png>)",
        "![t](map\\.png)",
        "![t](my%20map.png)",
        "[![t](map.png)](https://e.org)",
    ]
    _section(notes, *forms, points=("See {{![m](map.png 'in a deletion')}} here",))
    checked = run("check")
    assert checked.exit_code == 0, checked
    built = run("deck")
    assert built.exit_code == 0, built
    with zipfile.ZipFile(DECK) as package:
        media = json.loads(package.read("media"))
        packaged = {name: package.read(number) for number, name in media.items()}
    names = sorted(packaged)
    assert [re.sub("[0-9a-f]{12}", "#", n) for n in names] == ["map-#.png", "my map-#.png"], names
    assert all(content == PNG for content in packaged.values()), "the pictures as they are"
    from anki_helpers import import_deck

    col = import_deck(DECK.resolve(), tmp_path / "c.anki2")
    try:
        cards = col.find_cards('"deck:Demo::Reading::03 Images"')
        shown = [col.get_card(card).answer() for card in cards]
    finally:
        col.close()
    assert len(shown) == len(forms) + 1, shown
    sources = [re.findall(r'<img src="([^"]*)"', html) for html in shown]
    assert all(len(found) == 1 for found in sources), "one picture on each card"
    assert sorted({found[0] for found in sources}) == names, sources


# -- what an image file must be --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("map.png", b"just some text\n", "image 'map.png' is not a PNG image"),
        ("map.png", b"\x89PNG", "image 'map.png' is not a PNG image"),
        ("map.jpg", PNG, "image 'map.jpg' is a PNG image, not JPEG: name it .png"),
        ("map.svg", b"<html><body>no</body></html>", "image 'map.svg' is not a SVG image"),
        ("map.bmp", b"BM" + bytes(60), "image 'map.bmp': a card shows only these kinds of"),
    ],
)
def test_an_image_must_be_the_kind_its_name_says(
    notes: Path, run: Runner, name: str, content: bytes, error: str
) -> None:
    """The audit's text file named `.png` passed `check` and went into the deck."""
    (notes / "demo" / name).write_bytes(content)
    _section(notes, f"Where? ![the map]({name})")
    result = run("check")
    assert result.exit_code == 1, result
    [line] = _errors(result)
    assert line.startswith(f"{SECTION}:4:16: error: {error}"), result
    assert "just some" not in result.output, "no byte of the file is quoted"
    built = run("deck")
    assert built.exit_code == 1 and not DECK.exists(), built


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a" + bytes(20),
        b"\xff\xd8\xff\xe0" + bytes(20),
        b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(8),
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\xef\xbb\xbf\n  <?xml version='1.0'?>\n<!-- Created with Inkscape -->\n<svg>",
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [ <!ENTITY a "b"> ]>\n<svg\n>',
    ],
)
def test_images_of_each_kind_are_known_by_their_first_bytes(content: bytes) -> None:
    assert image_kind(content) is not None, content


@pytest.mark.parametrize(
    "content",
    [b"", b"<svgx>", b"<!-- <svg> never closed", b"<html><svg></svg></html>", b"<?xml?>text"],
)
def test_text_that_only_mentions_svg_is_no_svg(content: bytes) -> None:
    assert image_kind(content) is None, content


def _huge_png(path: Path, size: int) -> None:
    """A PNG header followed by a hole: `size` bytes long, hardly any of them on the disk."""
    with path.open("wb") as file:
        file.write(PNG)
        file.truncate(size)


def test_an_image_over_the_size_limit_is_refused(notes: Path, run: Runner) -> None:
    """The audit's 200 MB image made a 280 MB HTML outline."""
    _huge_png(notes / "demo" / "photo.png", 200_000_000)
    _section(notes, "Where? ![the map](photo.png)")
    expected = (
        f"{SECTION}:4:16: error: image 'photo.png' is 200.0 MB; images are limited to 20 MB "
        "(make it smaller, or set STUDYKIT_MAX_IMAGE_MB)"
    )
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [expected], result
    outline = run("outline", "-f", "html", "-o", "out.html")
    assert outline.exit_code == 1 and not Path("out.html").exists(), outline
    assert _errors(outline) == [expected], outline


def test_the_size_limit_is_set_in_megabytes_by_the_environment(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _huge_png(notes / "demo" / "photo.png", 30_000_000)
    _section(notes, "Where? ![the map](photo.png)")
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", "50")
    assert run("check").exit_code == 0
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", "2.5")
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [
        f"{SECTION}:4:16: error: image 'photo.png' is 30.0 MB; images are limited to 2.5 MB "
        "(make it smaller, or set STUDYKIT_MAX_IMAGE_MB)"
    ], result
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", "lots")
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.strip() == (
        "error: STUDYKIT_MAX_IMAGE_MB='lots' is not a number of megabytes, e.g. 50"
    ), result


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("0", "allows no image at all: give a number of megabytes above 0"),
        ("1e-300", "allows no image at all: give a number of megabytes above 0"),
        ("-3", "allows no image at all: give a number of megabytes above 0"),
        ("nan", "is not a number of megabytes"),
        ("1e308", "is more than any image could be: give at most 1,000,000,000 megabytes"),
        ("inf", "is more than any image could be: give at most 1,000,000,000 megabytes"),
    ],
)
def test_a_size_limit_no_image_could_meet_or_exceed_says_which(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch, setting: str, problem: str
) -> None:
    _huge_png(notes / "demo" / "photo.png", 1_000)
    _section(notes, "Where? ![the map](photo.png)")
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", setting)
    result = run("check")
    assert result.exit_code == 1, result
    assert result.stderr.strip() == f"error: STUDYKIT_MAX_IMAGE_MB={setting!r} {problem}, e.g. 50"


def test_a_size_limit_of_one_byte_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from studykit.media import max_image_bytes

    assert max_image_bytes({"STUDYKIT_MAX_IMAGE_MB": "0.000001"}) == 1
    assert max_image_bytes({"STUDYKIT_MAX_IMAGE_MB": "1e9"}) == 10**15


def test_a_section_file_that_is_not_a_file_is_named_not_skipped(notes: Path, run: Runner) -> None:
    # Skipped without a word, the section would be missing from the deck and every handout.
    folder = notes / "demo"
    os.mkfifo(folder / "07-pipe.yaml")
    (folder / "08-gone.yaml").symlink_to("nowhere.yaml")
    (folder / "09-box.yaml").mkdir()
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [
        "notes/demo/07-pipe.yaml: error: this is a FIFO (named pipe), not a file: "
        "its notes cannot be read",
        "notes/demo/08-gone.yaml: error: this is a link to a file that does not exist: "
        "its notes cannot be read",
        "notes/demo/09-box.yaml: error: this is a folder, not a file: its notes cannot be read",
    ]
    assert run("deck").exit_code == 1
    assert not (notes.parent / "cards").exists()
