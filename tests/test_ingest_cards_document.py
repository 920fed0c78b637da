"""No card on what a tutor rejected in Node.js's technical priorities and glossary: the
document's own dates, a span counted from a time ("the first 10 years"), a glossary's line as a
cloze; and a reference-style link (`[text][]`) shows as its text, its target being elsewhere in
the file. Asserted as ingest writes the section's file.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Runner


def _ingested(run: Runner, text: str) -> list[dict[str, object]]:
    """Each section file ingest writes for `text`, in order."""
    Path("reading.md").write_text(text, encoding="utf-8")
    result = run("ingest", "reading.md", "--id", "r")
    assert result.exit_code == 0, result.stderr
    files = sorted(Path("notes", "r").glob("[0-9]*.yaml"))
    return [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]


_PRIORITIES = """\
# Technical Priorities

The initial version was created based on the work of the
[Next-10 team](https://github.com/nodejs/next-10) and the
[mini-summit](https://github.com/nodejs/next-10/issues/76) on August 5th 2021.

Version from the [mini-summit](https://github.com/nodejs/next-10/issues/1)
on October 1st 2022.

## Modern HTTP

Base HTTP support is a key component of modern cloud-native applications,
and built-in support was part of what made Node.js a success in the first 10 years.
"""


def test_no_cloze_on_the_documents_own_dates_or_a_span_from_a_time(here: Path, run: Runner) -> None:
    intro, http = _ingested(run, _PRIORITIES)
    # The document's revisions: points to read at most, never a card on their years.
    assert intro["points"] == [
        "The initial version was created based on the work of the [Next-10 team]"
        "(https://github.com/nodejs/next-10) and the [mini-summit]"
        "(https://github.com/nodejs/next-10/issues/76) on August 5th 2021.",
        "Version from the [mini-summit](https://github.com/nodejs/next-10/issues/1) on "
        "October 1st 2022.",
    ]
    # "the first {{10}} years": ten years from when, the card cannot say.
    assert not any("{{" in str(p) for p in http.get("points") or []), http


_GLOSSARY = """\
# Glossary

This file documents various terms and definitions used throughout the Node.js community.

* **ABI**: [Application Binary Interface][] - Defines the interface between two binary program
  modules.
* **AFAICT**: As Far As I Can Tell.
* **CLI**: [Command Line Interface][] - A way to interact with a computer program using text
  commands.
* **VM**: [The Node.js VM module][] - Provides a way of executing code within V8 Virtual Machine
  contexts.
* **WASI**: [Web Assembly System Interface][] - Interface for WebAssembly.

Those wishing to help should read the [Contributing guide][] first, which is updated often.

[Application Binary Interface]: https://en.wikipedia.org/wiki/Application_binary_interface
[Command Line Interface]: https://en.wikipedia.org/wiki/Command-line_interface
[Contributing guide]: https://github.com/nodejs/node/blob/main/CONTRIBUTING.md
[The Node.js VM module]: https://nodejs.org/api/vm.html
[Web Assembly System Interface]: https://github.com/WebAssembly/WASI
"""


def test_a_glossary_line_is_a_term_never_a_cloze_and_a_reference_link_its_text(
    here: Path, run: Runner
) -> None:
    (section,) = _ingested(run, _GLOSSARY)
    points = [str(p) for p in section.get("points") or []]
    # Before, "**VM**: [The Node.js VM module][] - ... within {{V8 Virtual Machine}} ...".
    assert not any("{{" in p for p in points), points
    assert not any("][" in p for p in points), "a reference link shows as its text"
    assert section["terms"] == [
        {"term": "ABI", "definition": "Application Binary Interface"},
        {"term": "AFAICT", "definition": "As Far As I Can Tell"},
        {"term": "CLI", "definition": "Command Line Interface"},
        {"term": "WASI", "definition": "Web Assembly System Interface"},
    ]


_PIGMENTS = """\
# Photosynthesis

## Pigments

Light is absorbed by pigments bound to proteins in the thylakoid membrane. The principal
pigment, chlorophyll a, is a porphyrin ring with a magnesium ion at its centre and a long
hydrocarbon tail that anchors it in the membrane. It absorbs most strongly in the blue and red
parts of the spectrum and reflects green light, which is why leaves look green.

## Documentation

The current documentation is great for experienced developers or people
who are aware of what they are looking for. On the other hand, for beginners this
documentation can be quite hard to read and finding the desired information is difficult.
"""


def test_a_point_to_read_that_points_back_is_not_drafted(here: Path, run: Runner) -> None:
    pigments, documentation = _ingested(run, _PIGMENTS)
    # "It absorbs ...": out of its paragraph, which pigment the point cannot say.
    assert not any(str(p).startswith("It ") for p in pigments.get("points") or []), pigments
    assert documentation["points"] == [
        "The current documentation is great for experienced developers or people who are aware "
        "of what they are looking for."
    ]
