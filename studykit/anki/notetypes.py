"""The three Anki note types studykit writes: ids, names and fields fixed forever; look may evolve.

Anki refuses to update notes whose note type changed its fields, so the field lists below are a
promise to every student who has imported a deck: add a note type rather than change one.
"""

from __future__ import annotations

from studykit.anki.apkg import NoteType, Template

QA_FIELDS = ("Front", "Back", "Note", "Source")
TERM_FIELDS = ("Term", "Definition", "Note", "Source", "Reverse")
CLOZE_FIELDS = ("Text", "Note", "Source")

# Every text colour has WCAG AA's 4.5:1 contrast on what it stands on, in day and night mode
# (the small grey of the kind and sources line too: 5.2:1 by day, 5.9:1 by night).
CSS = """\
.card {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Noto Sans",
    "Helvetica Neue", Arial, "PingFang SC", "Noto Sans CJK SC", sans-serif;
  font-size: 20px;
  line-height: 1.5;
  color: #1f2328;
  background-color: #fbfaf7;
  text-align: left;
}
.sk { max-width: 38em; margin: 0 auto; padding: 0.4em 0.2em; }
.sk-kind {
  font-size: 0.65em; letter-spacing: 0.09em; text-transform: uppercase;
  color: #6a6a6a; margin-bottom: 0.5em;
}
.sk-prompt { font-size: 1.1em; font-weight: 600; }
.sk-text { font-size: 1.05em; }
.sk-answer { font-size: 1.05em; }
hr#answer { border: none; border-top: 1px solid #d8d4cc; margin: 0.9em 0; }
.sk-note {
  margin-top: 1em; padding: 0.55em 0.8em; font-size: 0.85em; color: #4a4a4a;
  background: #f6f0dc; border-left: 3px solid #c79a1e; border-radius: 0 4px 4px 0;
}
.sk-source { margin-top: 1.1em; font-size: 0.7em; color: #6a6a6a; }
.cloze { font-weight: 700; color: #1d5fbf; }
code { font-size: 0.9em; padding: 0.05em 0.3em; border-radius: 3px; background: #eeebe3; }
img { max-width: 100%; height: auto; }
a { color: #1d5fbf; }
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  color: #e3e1dc; background-color: #1f1f1d;
}
.nightMode .sk-note, .night_mode .sk-note {
  color: #d0ccc2; background: #2c281b; border-left-color: #a8821c;
}
.nightMode .cloze, .night_mode .cloze, .nightMode a, .night_mode a { color: #8cb4ff; }
.nightMode .sk-kind, .night_mode .sk-kind, .nightMode .sk-source, .night_mode .sk-source {
  color: #9a9a9a;
}
.nightMode code, .night_mode code { background: #33312c; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #46433d; }
@media (max-width: 480px) { .card { font-size: 18px; } .sk { padding: 0.2em 0; } }
"""


def _card(
    kind: str,
    prompt: str,
    answer: str | None,
    prompt_class: str = "sk-prompt",
    answer_class: str = "sk-answer",
) -> Template:
    """Front: the prompt. Back: the prompt again, the answer, the annotation and the source."""
    head = (
        f'<div class="sk">\n<div class="sk-kind">{kind}</div>\n'
        f'<div class="{prompt_class}">{prompt}</div>\n'
    )
    # A cloze answers in place, so its back has no separate answer below a rule.
    answer_part = (
        "" if answer is None else f'<hr id="answer">\n<div class="{answer_class}">{answer}</div>\n'
    )
    back = (
        f"{head}{answer_part}"
        '{{#Note}}<div class="sk-note">{{Note}}</div>{{/Note}}\n'
        '<div class="sk-source">{{Source}}</div>\n</div>'
    )
    return Template(name=kind, front=head + "</div>", back=back)


QA = NoteType(
    id=1733001101,
    name="studykit Q&A",
    fields=QA_FIELDS,
    templates=(_card("Question", "{{Front}}", "{{Back}}"),),
    css=CSS,
)

# Asked from the definition, the long text is the prompt and the short term the answer.
_REVERSE = _card("Which term?", "{{Definition}}", "{{Term}}", "sk-text", "sk-prompt")
TERM = NoteType(
    id=1733001102,
    name="studykit Term",
    fields=TERM_FIELDS,
    templates=(
        _card("Term", "{{Term}}", "{{Definition}}"),
        # The reverse card exists only where the Reverse field is filled in.
        Template(
            name="Which term?",
            front="{{#Reverse}}" + _REVERSE.front + "{{/Reverse}}",
            back=_REVERSE.back,
        ),
    ),
    css=CSS,
)

CLOZE = NoteType(
    id=1733001103,
    name="studykit Cloze",
    fields=CLOZE_FIELDS,
    templates=(_card("Fill in", "{{cloze:Text}}", None, "sk-text"),),
    css=CSS,
    cloze=True,
)

NOTE_TYPES = (QA, TERM, CLOZE)
BY_KIND = {"question": QA, "term": TERM, "cloze": CLOZE}
