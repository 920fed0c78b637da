"""Nothing outside the notes folder reaches a message, a card, a deck or a handout.

Each test first reproduces what the audit found (a linked section file printed /etc/passwd in
its error; image references the old pattern missed reached cards unchecked; a text file named
`.png` and a 200 MB image passed), then pins what a student sees now: one located error line
that quotes none of the refused file, or the image packaged and shown on the card.
"""

from __future__ import annotations

import base64
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from conftest import Run, Runner

from studykit.notes.media import image_kind

DECK = Path("cards/demo.apkg")
SECTION = "notes/demo/03-images.yaml"
# A one-pixel PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
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
    ("command", "code"), [(["check"], 1), (["deck"], 1), (["list"], 1), (["show", "demo"], 1)]
)
def test_a_section_file_linked_out_of_the_notes_is_refused_unread(
    notes: Path, run: Runner, tmp_path: Path, command: list[str], code: int
) -> None:
    """`show` shows the sections that load and names the refused one, as for any broken file."""
    (notes / "demo" / "03-secret.yaml").symlink_to(_secret_file(tmp_path))
    result = run(*command)
    assert result.exit_code == code, result
    assert f"notes/demo/03-secret.yaml: error: {LINKED}" in _errors(result) or (
        f"notes/demo/03-secret.yaml: error: {LINKED} (section not shown)"
        in result.stderr.splitlines()
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
    """A notes folder that is itself a link, a reading linked from a folder below it, a section
    file linked from another reading: all inside the notes folder's real path. (A link to
    another reading's folder is refused: tests/test_reading_links.py.)"""
    real = tmp_path / "real-notes"
    notes.rename(real)
    notes.symlink_to(real, target_is_directory=True)
    (real / "shelf" / "again").mkdir(parents=True)
    (real / "shelf" / "again" / "reading.yaml").write_text("title: Again\n", encoding="utf-8")
    (real / "shelf" / "again" / "01-shared.yaml").symlink_to(real / "demo" / "02-more.yaml")
    (real / "again").symlink_to(real / "shelf" / "again", target_is_directory=True)
    result = run("check")
    assert result.exit_code == 0, result
    assert "ok: 2 readings" in result.stdout, result


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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_an_image_that_is_a_fifo_or_a_folder_says_what_it_is(notes: Path, run: Runner) -> None:
    # Both were "image 'pic.png' not found", though the student can see them there.
    os.mkfifo(notes / "demo" / "pic.png")
    (notes / "demo" / "map.png").mkdir()
    _section(notes, "Where? ![the pipe](pic.png) ![the map](map.png)")
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [
        f"{SECTION}:4:16: error: image 'pic.png' is a FIFO (named pipe), not an image file",
        f"{SECTION}:4:37: error: image 'map.png' is a folder, not an image file",
    ], result


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
    from studykit.notes.media import max_image_bytes

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


# -- what an SVG may load ----------------------------------------------------------------------

SVG_LOADS = (
    "this SVG loads other files ({}); studykit packs only the image itself: embed it or use a PNG"
)
_SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


def _linked_photo(tmp_path: Path, notes: Path) -> None:
    """The audit's setup: a photo outside the notes, and a link to it in the reading's folder."""
    photo = tmp_path / "private" / "photo.png"
    photo.parent.mkdir(exist_ok=True)
    photo.write_bytes(PNG)
    (notes / "demo" / "pic.png").symlink_to(photo)


def test_an_svg_that_loads_an_image_from_outside_the_notes_is_refused(
    notes: Path, run: Runner, tmp_path: Path
) -> None:
    """The audit: a PDF handout embedded private/photo.png through `<image href="pic.png"/>`
    in an SVG, while `![p](pic.png)` itself was refused."""
    _linked_photo(tmp_path, notes)
    (notes / "demo" / "fig.svg").write_text(_SVG.format('<image href="pic.png"/>'))
    _section(notes, points=("![f](fig.svg) the {{figure}}",))
    expected = f"{SECTION}:4:6: error: image 'fig.svg': {SVG_LOADS.format('pic.png')}"
    for command in (["check"], ["outline", "-f", "pdf", "-o", "out.pdf"], ["deck"]):
        result = run(*command)
        assert result.exit_code == 1, result
        assert _errors(result) == [expected], result
    assert not Path("out.pdf").exists() and not DECK.exists()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('<image xlink:href="pic.png"/>', "pic.png"),
        ("<image\n  href = 'sub/pic.png' />", "sub/pic.png"),
        ('<image href="' + " " * 500 + 'pic.png"/>', "pic.png"),
        (r"<style>rect { fill: \75 rl(pic.png) }</style>", "pic.png"),
        (
            '<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="pic.png"/>'
            "</foreignObject>",
            "pic.png",
        ),
        ('<use href="other.svg#shape"/>', "other.svg#shape"),
        ('<rect style="fill: url(pic.png)"/>', "pic.png"),
        ("<style>rect { fill: URL( 'pic.png' ) }</style>", "pic.png"),
        (r"<style>rect { fill: u\72l(pic.png) }</style>", "pic.png"),
        ('<style>@import "theme.css";</style>', "theme.css"),
        ('<image href="&#112;ic.png"/>', "pic.png"),
        ('<rect style="fill: &#117;rl(pic.png)"/>', "pic.png"),
        ('<g xml:base="file:///etc/"><use href="#a"/></g>', "file:///etc/"),
        ("<image href='file:///home/me/photo.png'/>", "file:///home/me/photo.png"),
        ("<image href='https://example.org/a.png'/>", "https://example.org/a.png"),
    ],
)
def test_every_way_an_svg_refers_to_another_file_is_refused(
    notes: Path, run: Runner, body: str, named: str
) -> None:
    (notes / "demo" / "fig.svg").write_text(_SVG.format(body))
    _section(notes, "Which? ![f](fig.svg)")
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [f"{SECTION}:4:16: error: image 'fig.svg': {SVG_LOADS.format(named)}"]


@pytest.mark.parametrize(
    ("prolog", "named"),
    [
        ('<?xml-stylesheet type="text/css" href="theme.css"?>', "theme.css"),
        ('<!DOCTYPE svg SYSTEM "local.dtd">', "local.dtd"),
        (
            '<!DOCTYPE svg PUBLIC "-//Evil//DTD" "http://example.org/e.dtd">',
            "http://example.org/e.dtd",
        ),
        ('<!DOCTYPE svg [<!ENTITY photo SYSTEM "pic.png" NDATA png>]>', "pic.png"),
        ('<!DOCTYPE svg [<!ENTITY p "pic.png">]>', "pic.png"),  # used below as href="&p;"
    ],
)
def test_an_svg_prolog_that_loads_a_file_is_refused(
    notes: Path, run: Runner, prolog: str, named: str
) -> None:
    body = '<image href="&p;"/>' if "ENTITY p " in prolog else "<rect/>"
    (notes / "demo" / "fig.svg").write_text(prolog + "\n" + _SVG.format(body))
    _section(notes, "Which? ![f](fig.svg)")
    result = run("check")
    assert result.exit_code == 1, result
    assert _errors(result) == [f"{SECTION}:4:16: error: image 'fig.svg': {SVG_LOADS.format(named)}"]


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE svg [<!ENTITY a "&#112;ic.png">]>',
        '<!DOCTYPE svg [<!ENTITY % p "x">]>',
        "<!DOCTYPE svg [<!ENTITY e \"<image href='x'/>\">]>",
    ],
)
def test_an_svg_entity_studykit_cannot_read_through_is_refused(
    notes: Path, run: Runner, prolog: str
) -> None:
    """An entity made of other entities, or of markup, could spell a file name no scan sees."""
    (notes / "demo" / "fig.svg").write_text(prolog + "\n" + _SVG.format("<rect/>"))
    _section(notes, "Which? ![f](fig.svg)")
    result = run("check")
    assert result.exit_code == 1, result
    [line] = _errors(result)
    assert line.startswith(
        f"{SECTION}:4:16: error: image 'fig.svg': this SVG declares an XML entity studykit "
        "cannot read through ("
    ), result


def test_an_svg_that_refers_only_to_itself_is_packaged_and_drawn(notes: Path, run: Runner) -> None:
    """Gradients, `<use>` of its own shapes, embedded images and the SVG 1.1 DOCTYPE (which
    Illustrator writes, with entities for its namespaces) load nothing else."""
    prolog = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n'
        '  <!ENTITY ns_svg "http://www.w3.org/2000/svg">\n]>\n'
    )
    embedded = "data:image/png;base64," + base64.b64encode(_png_header(1, 1)).decode()
    body = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
        '<rect id="r" width="10" height="10"/></defs>'
        '<use xlink:href="#r" fill="url(#g)"/><use href="#r" style="fill: url( \'#g\' )"/>'
        f'<image width="5" height="5" href="{embedded}"/><a href="">x</a>'
    )
    (notes / "demo" / "fig.svg").write_text(prolog + _SVG.format(body))
    _section(notes, points=("![f](fig.svg) the {{figure}}",))
    assert run("check").exit_code == 0
    result = run("outline", "-f", "pdf", "-o", "out.pdf")
    assert result.exit_code == 0, result
    assert Path("out.pdf").read_bytes().startswith(b"%PDF")


# -- how many pixels an image may declare ------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares width x height and holds a few bytes of zeros (the audit's f9)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(bytes(3 * width + 1) * min(height, 4))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _whole_png(width: int, height: int) -> bytes:
    """A whole PNG of width x height black pixels, one bit each: `check` reads it to its end."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    packer, row = zlib.compressobj(), bytes(1 + (width + 7) // 8)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg_header(width: int, height: int, sof: int = 0xC0) -> bytes:
    """JFIF, an Exif-sized segment, then the frame header that declares the size."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    app1 = b"\xff\xe1" + (70_000 // 2).to_bytes(2, "big") + bytes(70_000 // 2 - 2)
    frame = bytes([0xFF, sof, 0, 11, 8]) + height.to_bytes(2, "big") + width.to_bytes(2, "big")
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"  # one component, then its data
    return b"\xff\xd8" + app0 + app1 + frame + b"\x01\x01\x11\x00" + scan + bytes(20)


def _gif_header(width: int, height: int) -> bytes:
    """A small logical screen, a comment, then a frame that declares width x height."""
    screen = b"GIF89a" + (1).to_bytes(2, "little") * 2 + b"\x80\x00\x00" + bytes(6)
    comment = b"\x21\xfe\x05hello\x00"
    frame = b"\x2c" + bytes(4) + width.to_bytes(2, "little") + height.to_bytes(2, "little")
    return screen + comment + frame + b"\x00\x02\x02\x4c\x01\x00\x3b"


def _webp_header(width: int, height: int, kind: bytes) -> bytes:
    if kind == b"VP8X":
        body = bytes(4) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    elif kind == b"VP8L":
        body = b"\x2f" + ((width - 1) | (height - 1) << 14).to_bytes(4, "little") + bytes(5)
    else:
        body = b"\x00\x00\x00\x9d\x01\x2a" + width.to_bytes(2, "little")
        body += height.to_bytes(2, "little") + bytes(4)
    chunk = kind + len(body).to_bytes(4, "little") + body
    return b"RIFF" + (4 + len(chunk)).to_bytes(4, "little") + b"WEBP" + chunk


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("map.png", _png_header(32_000, 32_000), "32,000 x 32,000 pixels (1,024 megapixels)"),
        ("map.png", _png_header(7_072, 7_071), "7,072 x 7,071 pixels (50.0 megapixels)"),
        ("map.jpg", _jpeg_header(65_000, 65_000), "65,000 x 65,000 pixels (4,225 megapixels)"),
        ("map.jpg", _jpeg_header(9_000, 6_000, 0xC2), "9,000 x 6,000 pixels (54.0 megapixels)"),
        ("map.gif", _gif_header(65_535, 1_000), "65,535 x 1,000 pixels (65.5 megapixels)"),
        (
            "map.webp",
            _webp_header(16_384, 16_384, b"VP8X"),
            "16,384 x 16,384 pixels (268 megapixels)",
        ),
        (
            "map.webp",
            _webp_header(16_384, 4_000, b"VP8L"),
            "16,384 x 4,000 pixels (65.5 megapixels)",
        ),
        (
            "map.webp",
            _webp_header(16_383, 16_383, b"VP8 "),
            "16,383 x 16,383 pixels (268 megapixels)",
        ),
    ],
)
def test_an_image_that_declares_too_many_pixels_is_refused(
    notes: Path, run: Runner, name: str, content: bytes, size: str
) -> None:
    """The audit's 3 MB PNG of 32000 x 32000 zeros took 3 GB to make a PDF handout."""
    (notes / "demo" / name).write_bytes(content)
    _section(notes, "Where? ![the map](" + name + ")")
    expected = (
        f"{SECTION}:4:16: error: image {name!r} is {size}; images are limited to 50 megapixels "
        "(scale it down, or raise STUDYKIT_MAX_IMAGE_MB: 2.5 megapixels per MB)"
    )
    for command in (["check"], ["outline", "-f", "pdf", "-o", "out.pdf"]):
        result = run(*command)
        assert result.exit_code == 1, result
        assert _errors(result) == [expected], result
    assert not Path("out.pdf").exists()


def _whole_gif(width: int, height: int) -> bytes:
    """A whole GIF: a logical screen of width x height, one 1 x 1 frame on it. A decoder draws
    the screen, so it holds width x height pixels."""
    screen = b"GIF89a" + width.to_bytes(2, "little") + height.to_bytes(2, "little")
    return screen + bytes.fromhex(
        "800000000000ffffff21f90401000000002c00000000010001000002024401003b"
    )


def _whole_webp(width: int, height: int) -> bytes:
    """A whole lossless WebP of width x height pixels of one colour: each of its prefix codes
    has one symbol, so its pixels take no bits and the file stays small."""
    size = ((width - 1) | (height - 1) << 14 | 1 << 28).to_bytes(4, "little")
    body = b"\x2f" + size + bytes.fromhex("071011118888fe0700")
    chunk = b"VP8L" + len(body).to_bytes(4, "little") + body
    return b"RIFF" + (4 + len(chunk)).to_bytes(4, "little") + b"WEBP" + chunk


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("map.png", _whole_png(7_071, 7_071)),
        ("map.jpg", _jpeg_header(8_000, 6_000, 0xC2)),
        ("map.gif", _whole_gif(5_000, 10_000)),
        ("map.webp", _whole_webp(16_383, 3_000)),
    ],
)
def test_an_image_within_the_pixel_limit_passes(
    notes: Path, run: Runner, name: str, content: bytes
) -> None:
    (notes / "demo" / name).write_bytes(content)
    _section(notes, "Where? ![the map](" + name + ")")
    result = run("check")
    assert result.exit_code == 0, result


def test_the_pixel_limit_grows_with_the_size_limit(
    notes: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A student who allows larger files allows larger photos; a smaller size limit keeps 50."""
    (notes / "demo" / "map.png").write_bytes(_whole_png(20_000, 10_001))
    _section(notes, "Where? ![the map](map.png)")
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", "80")
    result = run("check")
    assert result.exit_code == 1, result
    assert "images are limited to 200 megapixels" in _errors(result)[0], result
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", "100")
    assert run("check").exit_code == 0
    monkeypatch.setenv("STUDYKIT_MAX_IMAGE_MB", "1")
    (notes / "demo" / "map.png").write_bytes(_whole_png(7_000, 7_000))
    assert run("check").exit_code == 0
