"""A drafted summary is the section's lead or nothing: the first sentence of its opening
paragraph, naming what the heading names, standing on its own, not a concession, a dateline or
a subsection's. Each text is cut from a document two tutors judged (a history of the Meiji
Restoration, an encyclopedia page on photosynthesis, Node.js's technical priorities, Debian's
Python policy); each asserted summary is one they accepted or wanted, each `None` a section whose
drafted summary they rejected (a later sentence, a dateline, a concession, background, a first
event, a subsection's sentence). Asserted as ingest writes it, in the section's file.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Runner


def _ingested(run: Runner, text: str, name: str = "reading.md") -> dict[str, dict[str, object]]:
    """Each section file ingest writes for `text`, by its title."""
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    result = run("ingest", str(path), "--id", "r")
    assert result.exit_code == 0, result.stderr
    files = sorted(Path("notes", "r").glob("[0-9]*.yaml"))
    loaded = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    return {str(data["title"]): data for data in loaded}


def _summary(section: dict[str, object]) -> object:
    return section.get("summary")


_RESTORATION = """\
# The Meiji Restoration, 1868–1912

## The Restoration of 1868

In November 1867 the last shogun, Tokugawa Yoshinobu, offered to return his governing powers \
to the emperor, hoping to keep a leading place in a new council of lords. His opponents wanted \
more. On 3 January 1868, troops from Satsuma and allied domains seized the gates of the \
imperial palace in Kyoto and proclaimed the restoration of imperial rule. Yoshinobu's forces \
were defeated at the Battle of Toba–Fushimi later that month, and Edo surrendered without a \
fight in May 1868.

## The Economy

Economic modernization was led at first by the state. The first railway, between Tokyo and \
Yokohama, opened in 1872, and a national postal service followed.
"""


def test_a_later_sentence_is_no_summary_and_a_lead_names_its_heading(
    here: Path, run: Runner
) -> None:
    sections = _ingested(run, _RESTORATION)
    # The lead names nothing the heading does ("1868"); the fourth sentence, drafted before,
    # is a detail that points back ("later that month"): no summary, the TODO stays.
    assert _summary(sections["The Restoration of 1868"]) is None
    assert "# TODO summary" in Path("notes/r/01-restoration.yaml").read_text(encoding="utf-8")
    # "Economic" names "The Economy": the lead is the summary.
    assert _summary(sections["The Economy"]) == (
        "Economic modernization was led at first by the state."
    )


_PRIORITIES = """\
# Technical Priorities

This list represents the current view of key technical priorities recognized
by the project as important to ensure the ongoing success of Node.js.

The initial version was created based on the work of the Next-10 team and the
[mini-summit](https://github.com/nodejs/next-10/issues/76) on August 5th 2021.

Version from the [mini-summit](https://github.com/nodejs/next-10/issues/1)
on October 1st 2022.

## Documentation

_Present in: 2021_

The current documentation is great for experienced developers or people
who are aware of what they are looking for. On the other hand, for beginners this
documentation can be quite hard to read and finding the desired information is difficult.

## ES Modules (ESM)

_Present in: 2021_

The CommonJS module system was one of the key components that led to the
success of Node.js in its first 10 years. ESM is the standard that has been adopted as the
equivalent in the broader JavaScript ecosystem and Node.js must continue to evolve and keep up
with the ESM standard.

## Serverless

Serverless is a cloud computing model where the cloud provider manages the
underlying infrastructure and automatically allocates resources as needed.
"""


def test_no_dateline_concession_or_background_is_a_summary(here: Path, run: Runner) -> None:
    sections = _ingested(run, _PRIORITIES)
    # "Version from the mini-summit on October 1st 2022." is the document's own date.
    assert _summary(sections["Introduction"]) is None
    # The concession the next sentence turns from ("On the other hand, ...").
    assert _summary(sections["Documentation"]) is None
    # Background that never names ESM, the heading's name: the point is the next sentence.
    assert _summary(sections["ES Modules (ESM)"]) is None
    # The lead after a "_Present in: 2021_" line is the opening paragraph's.
    assert _summary(sections["Serverless"]) == (
        "Serverless is a cloud computing model where the cloud provider manages the underlying "
        "infrastructure and automatically allocates resources as needed."
    )


_PHOTOSYNTHESIS = """\
<html><body><main>
<h1>Photosynthesis</h1>
<p class="byline">By Margaret L. Okafor, Department of Plant Sciences · Reviewed by Tomás
Riedel · Last updated 12 March 2025</p>
<aside class="infobox"><table>
<caption>Photosynthesis at a glance</caption>
<tr><th>Organisms</th><td>Plants, algae, cyanobacteria</td></tr>
<tr><th>Carbon-fixing enzyme</th><td>Rubisco</td></tr>
</table></aside>
<p><dfn>Photosynthesis</dfn> is the process by which plants, algae and cyanobacteria convert
the energy of sunlight into chemical energy, using it to build sugars from carbon dioxide and
water and releasing oxygen as a by-product. It is the ultimate source of almost all the
organic carbon in the biosphere.</p>
<section><h2>History of discovery</h2>
<p>In the 1640s the Flemish physician Jan Baptist van Helmont grew a willow sapling in a tub of
weighed soil for five years. The tree gained about 74 kilograms while the soil lost only about
57 grams.</p>
<p>In 1771 the English clergyman and chemist Joseph Priestley found that a sprig of mint could
"restore" air in which a candle had burned out.</p>
</section>
<section><h2>The chloroplast and its pigments</h2>
<p>In plants and algae photosynthesis takes place in <dfn>chloroplasts</dfn>, organelles
descended from a cyanobacterium that was engulfed by a eukaryotic cell more than a billion
years ago. A typical leaf mesophyll cell contains between 10 and 100 chloroplasts, each a
lens-shaped body about 5 micrometres long.</p>
</section>
</main></body></html>
"""


def test_the_lead_after_a_byline_and_an_infobox_and_a_long_lead_are_summaries(
    here: Path, run: Runner
) -> None:
    sections = _ingested(run, _PHOTOSYNTHESIS, "photosynthesis.html")
    # The byline and the infobox come before the opening paragraph; its lead is the summary.
    assert _summary(sections["Introduction"]) == (
        "**Photosynthesis** is the process by which plants, algae and cyanobacteria convert the "
        "energy of sunlight into chemical energy, using it to build sugars from carbon dioxide "
        "and water and releasing oxygen as a by-product."
    )
    # The byline names the reading's author, and is no text of its sections.
    reading = yaml.safe_load(Path("notes/r/reading.yaml").read_text(encoding="utf-8"))
    assert reading["author"] == "Margaret L. Okafor"
    assert "Okafor" not in str(sections["Introduction"]["excerpt"])
    # A section's first event, naming nothing of "discovery": no summary.
    assert _summary(sections["History of discovery"]) is None
    # The real lead (27 words), not the numeric detail after it drafted before.
    assert _summary(sections["The chloroplast and its pigments"]) == (
        "In plants and algae photosynthesis takes place in **chloroplasts**, organelles "
        "descended from a cyanobacterium that was engulfed by a eukaryotic cell more than a "
        "billion years ago."
    )


_SUBSECTIONS = """\
# Debian Python Policy

## Python Interpreter

### Interpreter Name

The different Python major versions require different interpreters.

Maintainers should not override the Debian Python interpreter using `/usr/bin/env name`.

## Packaging Tools

This section describes the various tools to help package Python programs and modules for
Debian. Although none of these tools are mandatory, their use is strongly encouraged.

### distutils

Upstream focus on developments and improvements for Python packaging tools has largely shifted
away from `distutils` and to `setuptools`.

## Packaged Modules

The goal of these policies is to reduce the work necessary for Python transitions. Python
modules are internally very dependent on a specific Python version.
"""


def test_no_summary_from_a_subsection_and_a_section_announcing_itself_is_summed_up(
    here: Path, run: Runner
) -> None:
    sections = _ingested(run, _SUBSECTIONS)
    # The section opens with a subheading: any sentence would be one subsection's.
    assert _summary(sections["Python Interpreter"]) is None
    # "This section describes ..." is the section announcing itself, its gist.
    assert _summary(sections["Packaging Tools"]) == (
        "This section describes the various tools to help package Python programs and modules "
        "for Debian."
    )
    # "these policies" points back; the premise after it is no gist: no summary.
    assert _summary(sections["Packaged Modules"]) is None


def test_a_long_section_of_several_subsections_gets_no_summary(here: Path, run: Runner) -> None:
    parts = "\n".join(
        f"### Part {n}\n\n"
        + " ".join(
            f"Module rule {n}.{k} says that packaged modules must be installed with care."
            for k in range(40)
        )
        + "\n"
        for n in range(1, 4)
    )
    text = (
        "# Policy\n\n## Packaged Modules\n\n"
        "Python modules are internally very dependent on a specific Python version.\n\n" + parts
    )
    sections = _ingested(run, text)
    assert _summary(sections["Packaged Modules"]) is None


_CROSS_REFERENCED = """\
# Debian Python Policy

## Virtual packages

The python3 package provides python3-supported-min and python3-supported-max virtual \
packages. This allows packages to declare dependencies of the form \
`python3-foo | python3-supported-min (>= 3.7)`.

## Interaction with Locally Installed Python Versions

As long as you don't install other versions of Python in your path, Debian's Python \
versions won't be affected by a new version.

## Module Path

Private modules are described in Interaction with Locally Installed Python Versions as well.
"""


def test_a_title_case_headings_capitals_are_no_names_and_a_pipe_in_code_no_table(
    here: Path, run: Runner
) -> None:
    sections = _ingested(run, _CROSS_REFERENCED)
    # A `|` inside a sentence's code is no table row: the paragraph is the opening one.
    assert _summary(sections["Virtual packages"]) == (
        "The python3 package provides python3-supported-min and python3-supported-max virtual "
        "packages."
    )
    # "Locally", capitalised where the text cites the heading, is no name the lead must hold.
    assert _summary(sections["Interaction with Locally Installed Python Versions"]) == (
        "As long as you don't install other versions of Python in your path, Debian's Python "
        "versions won't be affected by a new version."
    )


def test_a_lead_pointing_at_a_link_is_no_summary(here: Path, run: Runner) -> None:
    sections = _ingested(
        run,
        "# JSON-C\n\n## Documentation\n\n"
        "Doxygen generated documentation exists [here](https://json-c.github.io/json-c/).\n",
    )
    # "here" is the link: the sentence says where, not what the documentation is.
    assert _summary(sections["Documentation"]) is None


def test_the_thing_its_own_lead_named_is_no_pointing_back(here: Path, run: Runner) -> None:
    sections = _ingested(
        run,
        "# Debian Python Policy\n\n## Build Dependencies\n\n"
        "Build dependencies for Python-dependent packages must be declared for every Python "
        "version that the package is built for.\n",
    )
    # "the package" is the lead's own "Python-dependent packages", not one named before.
    assert _summary(sections["Build Dependencies"]) == (
        "Build dependencies for Python-dependent packages must be declared for every Python "
        "version that the package is built for."
    )
