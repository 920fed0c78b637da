"""Terms the README promises and a tutor found missing: a web page's <dfn> past what blocked it
(another name in an aside, a list in the gloss, an appositive without an article, an acronym
in lower case or with a digit), a bold term glossed after a colon or by a plural noun, a
glossary <dl> whose names are code. Each sentence is from the documents the tutors judged (an
encyclopedia page on photosynthesis, a history of the Meiji Restoration, Debian's Python
policy); each definition says what the term is. Asserted as ingest writes the section's file.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Runner


def _terms(run: Runner, text: str, name: str) -> list[list[tuple[str, str]]]:
    """The terms of each section file ingest writes for `text`, in order."""
    Path(name).write_text(text, encoding="utf-8")
    result = run("ingest", name, "--id", "r")
    assert result.exit_code == 0, result.stderr
    files = sorted(Path("notes", "r").glob("[0-9]*.yaml"))
    loaded = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files]
    return [[(t["term"], t["definition"]) for t in data.get("terms") or []] for data in loaded]


_PAGE = """\
<html><body><main><h1>Photosynthesis</h1>
<p><dfn>Photosynthesis</dfn> is the process by which plants, algae and cyanobacteria convert
the energy of sunlight into chemical energy, using it to build sugars from carbon dioxide and
water and releasing oxygen as a by-product.</p>
<section><h2>The chloroplast and its pigments</h2>
<p>In plants and algae photosynthesis takes place in <dfn>chloroplasts</dfn>, organelles
descended from a cyanobacterium that was engulfed by a eukaryotic cell more than a billion
years ago. A typical leaf mesophyll cell contains between 10 and 100 chloroplasts.</p>
</section>
<section><h2>The Calvin cycle</h2>
<p>The <dfn>Calvin cycle</dfn>, also called the Calvin–Benson–Bassham cycle or the reductive
pentose phosphate cycle, is the series of reactions in the stroma that fixes carbon dioxide
into organic molecules. It runs in three phases: carboxylation, reduction and regeneration.</p>
<p>In the reduction phase, each 3-phosphoglycerate is phosphorylated by ATP and then reduced by
NADPH to glyceraldehyde 3-phosphate (G3P), a three-carbon sugar phosphate.</p>
</section>
<section><h2>Desert plants</h2>
<p>Crassulacean acid metabolism (CAM), named after the stonecrop family, separates the two
fixations in time rather than in space.</p>
</section>
</main></body></html>
"""


def test_a_pages_dfn_and_acronyms_past_what_blocked_them(here: Path, run: Runner) -> None:
    intro, chloroplast, calvin, desert = _terms(run, _PAGE, "photosynthesis.html")
    # The reading's topic, pinned down by "the process by which ...": a list inside the
    # author's gloss kept, cut where the participle's clause begins.
    assert intro == [
        (
            "Photosynthesis",
            "the process by which plants, algae and cyanobacteria convert the energy of "
            "sunlight into chemical energy",
        )
    ]
    # A mid-sentence <dfn> glossed by a plural noun and its clause, no article.
    assert chloroplast == [
        (
            "chloroplasts",
            "organelles descended from a cyanobacterium that was engulfed by a eukaryotic cell "
            "more than a billion years ago",
        )
    ]
    # Its other names in an aside read past; an acronym spelled by a word with a digit.
    assert calvin == [
        (
            "Calvin cycle",
            "the series of reactions in the stroma that fixes carbon dioxide into organic "
            "molecules",
        ),
        ("G3P", "glyceraldehyde 3-phosphate"),
    ]
    # An acronym of words in lower case, with no "is" after it.
    assert desert == [("CAM", "Crassulacean acid metabolism")]


_HISTORY = """\
# The Meiji Restoration

Historians call the political revolution that began this transformation the **Meiji
Restoration**: the overthrow of the Tokugawa shogunate in 1868 and the return of formal power
to the emperor.

## The Economy

The buyers included a few well-connected families whose businesses grew into the
**zaibatsu**, large conglomerates that combined banking, trading, mining and manufacturing
under one family holding company.
"""


def test_a_bold_term_glossed_after_a_colon_or_by_a_plural_noun(here: Path, run: Runner) -> None:
    intro, economy = _terms(run, _HISTORY, "meiji.md")
    assert intro == [
        (
            "Meiji Restoration",
            "the overthrow of the Tokugawa shogunate in 1868 and the return of formal power to "
            "the emperor",
        )
    ]
    assert economy == [
        (
            "zaibatsu",
            "large conglomerates that combined banking, trading, mining and manufacturing under "
            "one family holding company",
        )
    ]


_POLICY = """\
<html><body><main><h1>Debian Python Policy</h1>
<section><h2>Versions</h2>
<p>These files are in Python <code>configparser</code> format. They define the following
options:</p>
<dl>
<dt><code>default-version</code></dt>
<dd><p>The name of the interpreter for the current default Debian Python.</p></dd>
<dt><code>old-versions</code></dt>
<dd><p>The set of interpreter names which might still be on the system but for which modules
should not be built.</p></dd>
<dt><code>unsupported-versions</code></dt>
<dd><p>The set of interpreter names which should not be supported at all.</p></dd>
</dl>
</section>
</main></body></html>
"""


def test_a_glossary_dl_whose_names_are_code(here: Path, run: Runner) -> None:
    (versions,) = _terms(run, _POLICY, "policy.html")
    assert versions == [
        ("default-version", "the name of the interpreter for the current default Debian Python"),
        (
            "old-versions",
            "the set of interpreter names which might still be on the system but for which "
            "modules should not be built",
        ),
        (
            "unsupported-versions",
            "the set of interpreter names which should not be supported at all",
        ),
    ]
