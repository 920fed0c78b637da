"""Nothing a reader of a web page reads is lost on ingest, and nothing that frames the page is
read as text.

A page's `<form>` lost all its words (a quiz's questions and answers) and an `<aside>` within
the article was dropped as if it were the site's sidebar; a page wrapped whole in one form
(ASP.NET does so) came out with no text at all. Each case is reproduced first through
`studykit ingest`, `check` and `deck`, then each element a page holds text in, then pages
mixing them at random.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki_helpers import import_deck
from conftest import Runner, examples
from growth import assert_doubling, cpu_seconds
from hypothesis import given, settings
from hypothesis import strategies as st

from studykit.ingest.sections import plan_sections
from studykit.ingest.sources import Source, parse
from studykit.notes.validate import load_reading


def sections_of(html: str) -> list[tuple[str, tuple[str, ...]]]:
    source = Source(html.encode("utf-8"), "page.html", "html", None)
    return [(s.title, s.paragraphs) for s in plan_sections(parse(source))]


def excerpts(here: Path, reading: str) -> dict[str, str]:
    return {s.title: s.excerpt or "" for s in load_reading(here / "notes" / reading).sections}


def ingest_check_and_build(here: Path, run: Runner, name: str, html: str) -> str:
    """Ingest `html` as `name`, then `check` and `deck` it; the check's output."""
    (here / f"{name}.html").write_text(html, encoding="utf-8")
    result = run("ingest", f"{name}.html")
    assert result.exit_code == 0, result
    check = run("check", name)
    assert check.exit_code == 0 and " 0 errors" in check.stdout, check
    deck = run("deck", name)
    assert deck.exit_code == 0, deck
    col = import_deck(here / "cards" / f"{name}.apkg", here / "collection.anki2")
    try:
        assert col.card_count() > 0
    finally:
        col.close()
    return check.stdout


# -- an aside within the article ------------------------------------------------------------------

DUST_BOWL = """\
<!DOCTYPE html>
<html><head><title>The Dust Bowl</title></head>
<body>
<header><a href="/">Plains History</a>
<nav><a href="/a">Archive</a> <a href="/b">About</a></nav></header>
<aside><h3>Popular posts</h3><p>Our most read story this week is about tornadoes.</p></aside>
<article>
<h1>The Dust Bowl</h1>
<h2>Causes</h2>
<p>The Dust Bowl was a period of severe dust storms on the southern Great Plains in the 1930s.</p>
<aside><p>Farmers had ploughed up the deep-rooted native grasses of the plains during the wheat
boom of the 1920s.</p></aside>
<p>Drought began in 1930 and lasted most of the decade.</p>
<aside><a href="https://example.org/share">Share this story</a></aside>
<h2>Response</h2>
<p>The Soil Conservation Service was created in 1935.</p>
<aside class="note"><h3>Black Sunday</h3><p>The storm of 14 April 1935 was the worst of the
decade.</p></aside>
</article>
<footer><p>Copyright 2026 Plains History.</p></footer>
</body></html>
"""


def test_an_aside_in_the_article_is_read_and_the_sidebar_beside_it_is_not(
    here: Path, run: Runner
) -> None:
    ingest_check_and_build(here, run, "dust", DUST_BOWL)
    assert excerpts(here, "dust") == {
        "Causes": "The Dust Bowl was a period of severe dust storms on the southern Great Plains "
        "in the 1930s.\n\n"
        "Farmers had ploughed up the deep-rooted native grasses of the plains during the wheat "
        "boom of the 1920s.\n\n"
        "Drought began in 1930 and lasted most of the decade.",
        "Response": "The Soil Conservation Service was created in 1935.\n\n"
        "Black Sunday\n\n"
        "The storm of 14 April 1935 was the worst of the decade.",
    }
    notes = "".join(p.read_text(encoding="utf-8") for p in (here / "notes" / "dust").glob("*.yaml"))
    for frame in ("Popular posts", "tornadoes", "Share this story", "Copyright", "Archive"):
        assert frame not in notes, frame


# -- a form ---------------------------------------------------------------------------------------

QUIZ = """\
<!DOCTYPE html>
<html><head><title>Quiz: The Dust Bowl</title></head>
<body>
<form role="search" action="/find"><label>Search the site</label>
<input type="search" name="q"></form>
<h1>Quiz: The Dust Bowl</h1>
<p>Answer each question from the reading.</p>
<form action="/quiz/answers" method="post">
<fieldset><legend>When did the drought on the southern plains begin?</legend>
<label><input type="radio" name="q1" value="a">It began in 1930.</label>
<label><input type="radio" name="q1" value="b">It began in 1925.</label></fieldset>
<p>The Soil Conservation Service was created in 1935 to hold the soil in place.</p>
<button type="submit">Check my answers</button>
</form>
<form class="newsletter-box"><p>Get a new quiz every week in your inbox.</p>
<input type="email" name="e"><button>Subscribe</button></form>
<form action="/account"><label>Username</label><input name="user">
<label>Password</label><input type="password" name="pw"></form>
</body></html>
"""


def test_a_quiz_form_is_read_and_search_sign_in_and_subscription_forms_are_not(
    here: Path, run: Runner
) -> None:
    ingest_check_and_build(here, run, "quiz", QUIZ)
    assert excerpts(here, "quiz") == {
        "Full text": "Answer each question from the reading.\n\n"
        "When did the drought on the southern plains begin?\n\n"
        "It began in 1930.\n\n"
        "It began in 1925.\n\n"
        "The Soil Conservation Service was created in 1935 to hold the soil in place.",
    }
    notes = "".join(p.read_text(encoding="utf-8") for p in (here / "notes" / "quiz").glob("*.yaml"))
    for frame in ("Search the site", "Check my answers", "inbox", "Subscribe", "Username"):
        assert frame not in notes, frame


WRAPPED = """\
<!DOCTYPE html>
<html><head><title>The Dust Bowl</title></head>
<body>
<form method="post" action="./Default.aspx" id="form1">
<input type="hidden" name="__VIEWSTATE" value="dDwtMTA4">
<div class="page">
<h1>The Dust Bowl</h1>
<h2>Causes</h2>
<p>Drought began in 1930 and lasted most of the decade.</p>
<h2>Response</h2>
<p>The Soil Conservation Service was created in 1935.</p>
<div class="login"><form action="/login"><input type="password" name="pw"></form></div>
</div>
</form>
</body></html>
"""


def test_a_page_wrapped_whole_in_a_form_is_read(here: Path, run: Runner) -> None:
    # It was "no paragraphs of text found": the form that holds the page went with its text.
    ingest_check_and_build(here, run, "wrapped", WRAPPED)
    assert excerpts(here, "wrapped") == {
        "Causes": "Drought began in 1930 and lasted most of the decade.",
        "Response": "The Soil Conservation Service was created in 1935.",
    }


def test_a_main_of_role_inside_a_form_is_the_text() -> None:
    page = (
        "<body><div class=menu>Home | Shop</div><form action=search.aspx>"
        "<div role=main><h1>Dust</h1><p>Drought began in 1930.</p></div></form></body>"
    )
    assert sections_of(page) == [("Full text", ("Drought began in 1930.",))]


# -- every element a page holds text in -----------------------------------------------------------

ELEMENTS = {
    "details and summary": (
        "<details><summary>Why did the soil blow away?</summary><p>The grass that held it had "
        "been ploughed under.</p></details>",
        ("Why did the soil blow away?", "The grass that held it had been ploughed under."),
    ),
    "figure and caption": (
        '<figure><img src="storm.jpg" alt="A dust storm over Stratford, Texas"><figcaption>'
        "Figure 1: A dust storm approaching Stratford in 1935.</figcaption></figure>",
        (
            "! [A dust storm over Stratford, Texas](storm.jpg)",
            "Figure 1: A dust storm approaching Stratford in 1935.",
        ),
    ),
    "quotation with its source in a footer": (
        "<blockquote><p>We are ruined.</p><footer>A Kansas farmer, 1935</footer></blockquote>",
        ("We are ruined.", "A Kansas farmer, 1935"),
    ),
    "quotation whose source is a link": (
        '<blockquote><p>We are ruined.</p><footer>— <a href="https://example.org/k">A Kansas '
        "farmer</a></footer></blockquote>",
        ("We are ruined.", "— A Kansas farmer"),
    ),
    "glossary": (
        "<dl><dt>Black blizzard</dt><dd>A dust storm dark enough to hide the sun.</dd>"
        "<dd>The worst came in 1935.</dd></dl>",
        (
            "- **Black blizzard**: A dust storm dark enough to hide the sun.",
            "The worst came in 1935.",
        ),
    ),
    "fieldset with legend and labels": (
        "<fieldset><legend>Pick the year of Black Sunday.</legend><label><input type=radio>"
        "It was 1935.</label><label><input type=radio>It was 1933.</label></fieldset>",
        ("Pick the year of Black Sunday.", "It was 1935.", "It was 1933."),
    ),
    "header and footer of a section": (
        "<section><header><h2>Relief</h2><p>By the Federal Emergency Relief Administration."
        "</p></header><p>Relief reached the plains in 1933.</p><footer><p>Figures from the "
        "census of 1940.</p></footer></section>",
        None,  # its own section, pinned below
    ),
    "heading held in a button": (
        '<h2 class="accordion-header"><button class="accordion-button" type="button">When '
        "did the drought end?</button></h2><div><p>Rain returned in 1939.</p></div>",
        None,
    ),
    "a control between words": (
        "<p>The answer is<input type=text>the year 1935.</p>",
        ("The answer is the year 1935.",),
    ),
}


@pytest.mark.parametrize("name", list(ELEMENTS))
def test_the_text_of_each_element_is_read(name: str) -> None:
    body, expected = ELEMENTS[name]
    page = f"<html><body><h1>Dust</h1><p>Drought began in 1930.</p>{body}</body></html>"
    found = sections_of(page)
    if expected is None:
        expected_sections = {
            "header and footer of a section": [
                ("Introduction", ("Drought began in 1930.",)),
                (
                    "Relief",
                    (
                        "By the Federal Emergency Relief Administration.",
                        "Relief reached the plains in 1933.",
                        "Figures from the census of 1940.",
                    ),
                ),
            ],
            "heading held in a button": [
                ("Introduction", ("Drought began in 1930.",)),
                ("When did the drought end?", ("Rain returned in 1939.",)),
            ],
        }[name]
        assert found == expected_sections, found
    else:
        assert found == [("Full text", ("Drought began in 1930.", *expected))], found


# -- what frames the page stays out ---------------------------------------------------------------

FRAMES = {
    # Shown only to a browser without scripts: "enable JavaScript".
    "noscript": "<noscript><p>Please enable JavaScript to see this page.</p></noscript>",
    # Inert until a script copies it into the page.
    "template": "<template><p>Loading comment number zero.</p></template>",
    "a button": "<button>Show more stories</button>",
    "a drop-down list": "<p><select><option>English</option><option>Deutsch</option></select></p>",
    "the page's sidebar": "<aside><p>Our sponsors make this site possible.</p></aside>",
    "the page's header and footer": (
        "<header><p>Plains History magazine</p></header><footer><p>All rights reserved.</p>"
        "</footer>"
    ),
    "a search form": '<form action="/search"><label>Find a story</label><input name=q></form>',
    "a subscription form with its heading": (
        '<form action="/list"><h3>Stay in touch</h3><p>Get our stories by email.</p>'
        '<input type="email" name="e"></form>'
    ),
    "a cookie notice": (
        '<div id="cookie-notice"><p>We use cookies to improve your visit.</p><button>OK</button>'
        "</div>"
    ),
    "a consent tool's banner": (
        '<div id="onetrust-banner-sdk"><h2>We value your privacy</h2><p>Choose which cookies '
        "we may set.</p></div>"
    ),
    "a dialog no script has opened": "<dialog><p>Sign up for our weekly stories.</p></dialog>",
    "a comment form": (
        '<form id="commentform"><p>Your email address will not be published.</p><textarea>'
        "</textarea></form>"
    ),
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_what_frames_the_page_is_not_read(name: str) -> None:
    page = f"<html><body><h1>Dust</h1><p>Drought began in 1930.</p>{FRAMES[name]}</body></html>"
    assert sections_of(page) == [("Full text", ("Drought began in 1930.",))]


def test_an_aside_of_links_and_a_footer_of_links_within_the_text_are_not_read() -> None:
    page = (
        "<main><h1>Dust</h1><section><h2>Causes</h2><p>Drought began in 1930.</p>"
        '<aside><h3>Related</h3><ul><li><a href="https://example.org/a">Black Sunday</a></li>'
        '<li><a href="https://example.org/b">The Okies</a></li></ul></aside>'
        '<footer><a href="https://github.com/x/edit">Edit this page on GitHub</a></footer>'
        "</section></main>"
    )
    assert sections_of(page) == [("Causes", ("Drought began in 1930.",))]


# -- where the page's text is ---------------------------------------------------------------------


def test_a_headed_section_beside_the_main_is_read_in_its_place() -> None:
    page = (
        "<body><header><p>Plains History</p></header>"
        "<main><h1>Dust</h1><h2>Causes</h2><p>Drought began in 1930.</p></main>"
        "<section><h2>Response</h2><p>The Soil Conservation Service was created in 1935.</p>"
        "</section><div class=banner><p>We use cookies to improve this site.</p></div>"
        '<section class="comments"><h2>2 Comments</h2><p>Great post, thank you!</p></section>'
        '<section id="related-stories"><h2>More stories</h2><p>Tornado season starts early.</p>'
        "</section>"
        "<footer><p>All rights reserved.</p></footer></body>"
    )
    assert sections_of(page) == [
        ("Causes", ("Drought began in 1930.",)),
        ("Response", ("The Soil Conservation Service was created in 1935.",)),
    ]


def test_every_main_of_a_page_is_read_but_a_hidden_one() -> None:
    page = (
        "<body><main><h1>Dust</h1><h2>Causes</h2><p>Drought began in 1930.</p></main>"
        "<main><h2>Response</h2><p>The Soil Conservation Service was created in 1935.</p></main>"
        "<main hidden><h2>Loading</h2><p>Please wait while the page loads.</p></main></body>"
    )
    assert sections_of(page) == [
        ("Causes", ("Drought began in 1930.",)),
        ("Response", ("The Soil Conservation Service was created in 1935.",)),
    ]


def test_an_article_with_comments_nested_in_it_is_read_without_the_page_around_it() -> None:
    # Comments are articles within the article; the article is still the page's one.
    page = (
        "<body><div class=sidebar><p>Our sponsors make this site possible.</p></div>"
        "<article><h1>Dust</h1><h2>Causes</h2><p>Drought began in 1930.</p>"
        "<article><h3>Comment by Ada</h3><p>My grandfather farmed near Boise City.</p></article>"
        "</article></body>"
    )
    assert sections_of(page) == [
        (
            "Causes",
            ("Drought began in 1930.", "Comment by Ada", "My grandfather farmed near Boise City."),
        ),
    ]


# -- any page: every sentence of the text once, in order, and none of the frame -------------------

_FRAMED = {
    "nav": '<nav><a href="/a">{s}</a></nav>',
    "noscript": "<noscript><p>{s}</p></noscript>",
    "search": '<form role="search"><label>{s}</label><input type="search"></form>',
    "signin": '<form action="/session"><label>{s}</label><input type="password"></form>',
    "button": "<button>{s}</button>",
}
_CONTENT = {
    "p": "<p>{s}</p>",
    "aside": "<aside><p>{s}</p></aside>",
    "form": "<form><p>{s}</p><input type=text></form>",
    "label": "<form><label><input type=checkbox>{s}</label></form>",
    "details": "<details><summary>{s}</summary></details>",
    "figure": "<figure><img src=f.png alt=''><figcaption>{s}</figcaption></figure>",
    "quote": "<blockquote><p>{s}</p><footer>{s2}</footer></blockquote>",
    "dl": "<dl><dt>Zqterm</dt><dd>{s}</dd></dl>",
    "fieldset": "<fieldset><legend>{s}</legend></fieldset>",
    "header": "<section><header><p>{s}</p></header></section>",
}


@settings(max_examples=examples(120), deadline=None)
@given(
    blocks=st.lists(
        st.tuples(
            st.booleans(), st.sampled_from(sorted(_CONTENT)), st.sampled_from(sorted(_FRAMED))
        ),
        min_size=1,
        max_size=10,
    ),
    wrapper=st.sampled_from(["body", "article", "main"]),
)
def test_every_sentence_of_the_text_is_read_once_in_order(
    blocks: list[tuple[bool, str, str]], wrapper: str
) -> None:
    parts, sentences, framing = [], [], []
    for n, (framed, content, frame) in enumerate(blocks):
        sentence = f"The storm of zq{n} covered the county."
        if framed or (content == "aside" and wrapper == "body"):  # the page's sidebar
            frame_html = _FRAMED[frame] if framed else _CONTENT[content]
            parts.append(frame_html.format(s=sentence))
            framing.append(f"zq{n}")
            continue
        source = f"The farmer zq{n}x said so."
        parts.append(_CONTENT[content].format(s=sentence, s2=source))
        sentences.append(f"zq{n} ")
        if content == "quote":
            sentences.append(f"zq{n}x ")
    body = "<h1>Dust</h1><p>Drought began in 1930.</p>" + "".join(parts)
    if wrapper != "body":
        body = f"<{wrapper}>{body}</{wrapper}>"
    page = f"<html><body>{body}</body></html>"
    text = "\n\n".join(p for _, paragraphs in sections_of(page) for p in paragraphs)
    at = 0
    for marker in sentences:
        found = text.find(marker, at)
        assert found != -1, (marker, text)
        assert text.count(marker) == 1, (marker, text)
        at = found
    for marker in framing:
        assert f"{marker} " not in text, (marker, text)


# -- time -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "<main><p>x</p></main>",  # each <main> looked among the others for sections beside it
        "<article><aside><p>x",  # nested asides, each judged by what it holds
        "<form><p>x",  # nested forms, the same
        "<section><p>x</p><header><a>x</a>",  # headers of links within nested sections
    ],
)
def test_doubling_a_page_of_mains_asides_forms_or_headers_at_most_doubles_the_time(
    unit: str,
) -> None:
    def seconds(n: int) -> float:
        source = Source(("<h1>Dust</h1>" + unit * n).encode(), "x.html", "html", None)
        return cpu_seconds(lambda: parse(source))

    assert_doubling(seconds, 5_000, f"reading a page of {unit}", "this page")
