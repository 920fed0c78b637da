"""Questions a sentence of the reading answers, made from that sentence's own words.

Only three shapes, each built without guessing at what the sentence means:

- when: the sentence dates an event once ("In 1935 Congress created the Soil Conservation
  Service." -> "When did Congress create the Soil Conservation Service?"; "The Homestead Act was
  passed in 1862." -> "When was the Homestead Act passed?"). Not from a participle after a
  name ("the campaign against the Four Pests, launched in 1958": which was launched?);
- why: the sentence gives a reason with "because" ("Farmers were paid to adopt contour ploughing
  because it slowed the runoff." -> "Why were farmers paid to adopt contour ploughing?");
- who: a name is the subject of a verb in the past that tells a person's act ("Hugh Bennett
  argued that ..." -> "Who argued that ...?"): argued, proposed, wrote, discovered... Not of
  any verb: "Pangaea began to break apart" is no person's act, and "Wegener drew on several
  lines of evidence" asks nothing a reader recalls.

The answer is the whole sentence, so it always holds the fact asked for. A verb is put in its
base form ("created" -> "create") only where spelling rules or a table of irregular verbs say how;
otherwise, and wherever a pronoun would leave the question unclear ("Why did they ...?"), no
question is drafted. A name keeps its capital ("Why did Holmes's proposal ...?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studykit.ingest.appositives import NOT_SUBJECTS

_AUXILIARIES = frozenset(
    "is are was were can could would will should had has have did does do must might may".split()
)
_IRREGULAR = {
    "arose": "arise", "ate": "eat", "became": "become", "began": "begin", "bought": "buy",
    "broke": "break", "brought": "bring", "built": "build", "caught": "catch", "chose": "choose",
    "came": "come", "dealt": "deal", "drew": "draw", "drove": "drive", "fell": "fall",
    "felt": "feel", "fought": "fight", "found": "find", "fled": "flee", "flew": "fly",
    "forbade": "forbid", "forgave": "forgive", "froze": "freeze", "gave": "give", "went": "go",
    "grew": "grow", "held": "hold", "hid": "hide", "kept": "keep", "knew": "know", "laid": "lay",
    "led": "lead", "left": "leave", "lent": "lend", "lost": "lose", "made": "make",
    "meant": "mean", "met": "meet", "paid": "pay", "ran": "run", "rode": "ride", "rose": "rise",
    "said": "say", "saw": "see", "sold": "sell", "sent": "send", "shook": "shake",
    "shot": "shoot", "sought": "seek", "sank": "sink", "slew": "slay", "spoke": "speak",
    "spent": "spend", "stood": "stand", "stole": "steal", "struck": "strike", "swore": "swear",
    "swept": "sweep", "took": "take", "taught": "teach", "tore": "tear", "told": "tell",
    "thought": "think", "threw": "throw", "understood": "understand", "undertook": "undertake",
    "won": "win", "withdrew": "withdraw", "wrote": "write", "overthrew": "overthrow",
    "overcame": "overcome", "underwent": "undergo", "forgot": "forget", "got": "get",
    "sat": "sit", "hung": "hang", "fed": "feed", "bore": "bear", "wore": "wear",
    "stuck": "stick", "spun": "spin", "dug": "dig", "sang": "sing", "swam": "swim",
    "woke": "wake", "wove": "weave", "sped": "speed", "bred": "breed", "knelt": "kneel",
    "slid": "slide", "sprang": "spring", "strove": "strive", "bit": "bite", "lit": "light",
}  # fmt: skip
_PRONOUNS = frozenset("it they them this these those he she him we us i you".split())
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})(?![\w%])"
_DATE = (
    rf"(?:{_YEAR}|{_MONTH}\s+{_YEAR}|\d{{1,2}}\s+{_MONTH}\s+{_YEAR}"
    rf"|{_MONTH}\s+\d{{1,2}},\s+{_YEAR})"
)
_DATE_PHRASE = re.compile(rf",?\s+(?:in|on)\s+{_DATE}$")
_ANY_YEAR = re.compile(rf"(?<![\w.,$£€-]){_YEAR}")
_LEADING_DATE = re.compile(rf"(?:In|On)\s+{_DATE},?\s+")
_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_CAPITAL = rf"[{_UPPER}][\w'’.-]*"
_NAME = rf"{_CAPITAL}(?:\s+(?:(?:of|the|and|for|de|van|von)\s+)?{_CAPITAL})*"
_SUBJECT_NAME = re.compile(rf"(?:The\s+)?(?P<name>{_NAME})(?=[\s,])")
_APPOSITIVE = re.compile(r",\s+(?:an?|the)\s+[^,;:()]{1,120}?,\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_BECAUSE = re.compile(r",?\s+because\s+")
_END = re.compile(r"[.!?][\"'”’)]*$")

QUESTION_WORDS = 30


@dataclass(frozen=True)
class Question:
    """A question and the sentence that answers it."""

    q: str
    a: str


def asked_by(sentence: str, known: Words) -> Question | None:
    """The question `sentence` answers, if it has one of the shapes above."""
    text = sentence.strip()
    if not _END.search(text) or "?" in text or len(text) > 400:
        return None
    body = _END.sub("", text)
    for shape in (_when, _why, _who):
        q = shape(body, known)
        if q is not None and _clear(q):
            return Question(q, text)
    return None


@dataclass(frozen=True)
class Words:
    """How the reading writes its words: which in lower case, which capitalised mid-sentence."""

    lowercase: set[str]
    capitalised: set[str]
    places: frozenset[str] = frozenset()  # names the reading writes after "in", "to", "from"...

    def as_subject(self, words: str) -> str:
        """A sentence's opening words as they read inside a question: "Farmers" -> "farmers"."""
        first = words.split(" ", 1)[0]
        if first.lower() in self.lowercase and first.lower() not in self.capitalised:
            return first.lower() + words[len(first) :]
        if first in ("The", "A", "An") and len(words.split()) > 1:
            return first.lower() + words[len(first) :]
        second = words.split(" ", 2)[1:2]
        if (
            second
            and second[0].islower()
            and second[0] not in _NAME_PARTICLES  # "Hermann von Helmholtz"
            and first.lower() not in self.capitalised
            and not first.endswith(("'s", "’s"))  # "Holmes's proposal": a name's
        ):
            # "Work on the Central Pacific": a capital no name needs, followed by common words.
            return first.lower() + words[len(first) :]
        return words


def _when(body: str, known: Words) -> str | None:
    """A sentence that dates what its subject did or underwent, once."""
    if len(_ANY_YEAR.findall(body)) != 1:
        return None
    leading = _LEADING_DATE.match(body)
    if leading is not None:
        rest = body[leading.end() :]
    else:
        # At the end only: taken from the middle, the date would leave the words around it
        # joined wrongly ("came on 14 April 1935, a day ..." -> "came a day ...").
        phrase = _DATE_PHRASE.search(body)
        if phrase is None:
            return None
        rest = body[: phrase.start()]
        if _DANGLING_PARTICIPLE.search(rest) or _PARTICIPLE_AFTER_COMMA.search(rest):
            # "..., published in 1776"; "Dreyfus, a graduate ... born in Mulhouse, Alsace, in
            # 1859": the date may belong to the participle, not to the clause's verb.
            return None
    clause = _clause(rest, known)
    if clause is None:
        return None
    subject, verb, remainder = clause
    after = remainder.split()[1:] if verb in ("was", "were") else remainder.split()
    if any(word in _IRREGULAR for word in after):
        return None  # "a young godwit tagged in Alaska flew ...": the main verb comes later
    if verb in ("was", "were"):
        participle = remainder.split(" ", 1)[0]
        if not participle:
            return None
        if not participle.endswith("ed") and participle not in _IRREGULAR_PARTICIPLES:
            return None  # "was a farmer in 1930": a state, not an event
        return _joined("When", verb, subject, remainder)
    base = base_form(verb)
    if base is None:
        return None
    return _with_base("When did", subject, base, remainder)


_IRREGULAR_PARTICIPLES = frozenset(
    "begun born built bought brought chosen done drawn driven found fought given held hit kept "
    "known laid led left lost made met paid put read run said seen sent set shot sold spent "
    "spread struck taken taught thrown told understood won written".split()
)


def _why(body: str, known: Words) -> str | None:
    """ "X were paid to Y because Z" -> "Why were X paid to Y?"."""
    found = list(_BECAUSE.finditer(body))
    if len(found) != 1 or found[0].start() == 0:
        return None
    # "... in April 1948, partly because ...": how far the reason goes is part of the answer.
    main = _HEDGE.sub("", body[: found[0].start()])
    if _NEGATED.search(main) or _DECADE.search(main):
        # "Plate armour did not vanish because of guns alone": the reason is denied, not
        # given; "Why were restriction enzymes discovered in the 1960s?": why then, the
        # reason does not say.
        return None
    if body[found[0].end() :].count(" ") < 2 or _REPORTED.search(main):
        # "Krugman proposed that much trade ... because consumers value variety": the reason
        # is part of what was proposed, not why it was.
        return None
    clause = _clause(main, known)
    if clause is None:
        return None
    subject, verb, remainder = clause
    if verb in _AUXILIARIES:
        return _joined("Why", verb, subject, remainder)
    base = base_form(verb)
    return None if base is None else _with_base("Why did", subject, base, remainder)


def _who(body: str, known: Words) -> str | None:
    """ "Congress created the Soil Conservation Service" -> "Who created the Soil ... Service?"."""
    name = _SUBJECT_NAME.match(body)
    if name is None:
        return None
    subject = name.group("name")
    if not _is_name(subject, known) or subject.lower() in known.places:
        return None  # "Who suffered most?" of Kansas: a place is no "who"
    if name.start("name") > 0:
        # "The United States declared war ...": a name that takes "the" is a state's, a
        # body's or a thing's, and "who" is asked of a person's act.
        return None
    if _BODY.search(subject):
        # "The International Diabetes Federation estimated ...": a body's figure; the figure,
        # not who published it, is the fact.
        return None
    rest = body[name.end() :]
    appositive = _APPOSITIVE.match(rest)
    rest = rest[appositive.end() :] if appositive else rest.lstrip()
    verb = rest.split(" ", 1)[0]
    if verb in _AUXILIARIES or base_form(verb) is None or len(rest.split()) < 3:
        return None
    if _ONLY_A_COUNT.fullmatch(rest.split(" ", 1)[1].rstrip(".!")):
        return None  # "Who wrote sixty-four sonnets?": many did
    if verb not in _PERSON_VERBS:
        # "Who" only of what a person does: "Pangaea began to break apart" is no person's
        # act, and "Wegener drew on several lines of evidence" asks nothing a reader recalls.
        return None
    finite = _MAIN_VERB_LATER.search(rest)
    if finite is not None and not _RELATIVE_BEFORE.search(rest, 0, finite.start()):
        # "A Package modified in such a way shall ...": the past form was no main verb.
        return None
    return f"Who {rest}?"


_ONLY_A_COUNT = re.compile(
    r"(?:about\s+|some\s+|over\s+|more\s+than\s+)?(?:\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+[a-z]+s"
)
_NEGATED = re.compile(r"\b(?:not|never|no longer|hardly)\b|n['’]t\b")
_DECADE = re.compile(r"\b\d{3}0s\b")
_HEDGE = re.compile(
    r",?\s+(?:partly|largely|mainly|mostly|chiefly|probably|perhaps|primarily|simply|only"
    r"|in\s+part|above\s+all)$"
)
_BODY = re.compile(
    r"\b(?:Federation|Organi[sz]ation|Association|Agency|Bureau|Institute|Office|Council"
    r"|Commission|Committee|Bank|Fund|Foundation|Society|Service|Department|Ministry|Board"
    r"|Survey|Union|League|Programme|Program|Panel)\b"
)
_PERSON_VERBS = frozenset(
    """argued proposed said wrote suggested claimed believed insisted declared announced
    described discovered invented founded published presented predicted concluded denied
    admitted warned urged ordered demanded explained observed reported recalled replied
    complained criticised criticized accused named coined designed defended rejected
    doubted questioned estimated calculated measured identified recognised recognized
    introduced""".split()
)
_MAIN_VERB_LATER = re.compile(
    r"\b(?:shall|will|may|must|should|would|can|could|is|are|was|were|has|have|had)\b"
)
_RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that|where|when|because|after|before|while)\b")
_NAME_PARTICLES = frozenset("von van de da di du la le del der den bin ibn al".split())
_DANGLING_PARTICIPLE = re.compile(r",\s+[a-z]+ed$")
# A participle after a comma, past or present ("..., beginning with The Warden in 1855"): the
# date may be its own.
_PARTICIPLE_AFTER_COMMA = re.compile(
    r",[^,]*\b(?:born|died|[a-z]+ed|beginning|starting|ending|including|followed|culminating"
    r"|leading|resulting)\b"
)
_REPORTED = re.compile(
    rf"\b(?:{'|'.join(sorted(_PERSON_VERBS))}|showed|thought|held)\b[^,;]{{0,40}}?\bthat\b"
)


def _is_name(subject: str, known: Words) -> bool:
    """A person's or a body's name: several capitalised words, or one the reading capitalises
    in mid-sentence and never writes in lower case."""
    words = subject.split()
    if words[0].lower() in NOT_SUBJECTS or words[0] in ("A", "An"):
        return False
    if len(words) > 1:
        return True
    lower = subject.lower()
    return lower in known.capitalised and lower not in known.lowercase and len(subject) > 2


def _clause(text: str, known: Words) -> tuple[str, str, str] | None:
    """Subject, verb and the rest of a plain clause ("The farmers | were | paid to ...")."""
    text = text.strip()
    name = _SUBJECT_NAME.match(text)
    subject_end = None
    if name is not None and _is_name(name.group("name"), known):
        after = text[name.end() :]
        appositive = _APPOSITIVE.match(after)
        subject = text[: name.end()]
        subject_end = name.end() + (appositive.end() if appositive else 0)
    words = list(_WORD.finditer(text))
    if subject_end is None:
        # Up to five words before the verb, none a verb itself as far as spelling tells.
        for word in words[1:6]:
            lower = word.group()
            if (
                lower in _AUXILIARIES
                or lower in _IRREGULAR
                or (lower.endswith("ed") and lower.islower())
            ):
                # All that stands before the verb: "The crop of 1847 | was", its year too.
                subject = text[: word.start()].rstrip()
                subject_end = word.start()
                break
        else:
            return None
    if any(c in subject for c in ',;:()"“”'):
        return None
    subject_words = [w.lower() for w in subject.split()]
    if subject_words[0] in NOT_SUBJECTS or set(subject_words) & _NOT_IN_SUBJECT:
        return None
    if any(
        w.endswith("ed") or w in _IRREGULAR or w in _AUXILIARIES
        for at, (w, written) in enumerate(zip(subject_words, subject.split(), strict=True))
        # A capital after the first word is a name's: "The United States" holds no verb.
        if at == 0 or not written[:1].isupper()
    ):
        return None
    rest = text[subject_end:].strip()
    verb, _, remainder = rest.partition(" ")
    if not verb.islower():
        return None
    return known.as_subject(subject), verb, remainder.strip()


_NOT_IN_SUBJECT = frozenset("and or but that who whom whose which where when".split())
_COORDINATED = re.compile(r"\b(?:and|but|or)\b")


def _with_base(opening: str, subject: str, base: str, remainder: str) -> str | None:
    """ "When did <subject> <base> <remainder>?": not where a second verb is joined on ("prices
    rose and farms failed" cannot become "did prices rise and farms failed")."""
    if _COORDINATED.search(remainder):
        return None
    return _joined(opening, subject, base, remainder)


def _joined(*parts: str) -> str | None:
    question = " ".join(p.strip() for p in parts if p.strip()) + "?"
    return question if len(question.split()) <= QUESTION_WORDS else None


def _clear(question: str) -> bool:
    """A question that stands on its own: no pronoun pointing outside it, one thing asked."""
    from studykit.quality.shapes import essay_prompt, second_question

    words = {w.lower() for w in _WORD.findall(question)}
    if words & _PRONOUNS:
        return False
    return second_question(question) is None and essay_prompt(question) is None


_NO_E = frozenset("focused biased canvased".split())


def base_form(verb: str) -> str | None:
    """The base form of a verb in the past ("created" -> "create"), where spelling tells it."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if not verb.islower() or not verb.endswith("ed") or len(verb) < 5:
        return None
    if verb.endswith("ied"):
        return verb[:-3] + "y"
    if verb.endswith("eed"):
        return verb[:-1]  # "agreed", "freed"
    if verb in _NO_E:
        return verb[:-2]
    stem = verb[:-2]
    if stem[-1] == stem[-2] and stem[-1] not in "lsfz" and stem[-1] not in "aeiou":
        return stem[:-1]  # "stopped", "planned"; not "called", "passed"
    vowels = "aeiou"
    last, before, third = stem[-1], stem[-2], stem[-3]
    if last in vowels:
        return None
    if before in vowels and third in vowels:
        if last in "vcz":
            return stem + "e"  # "received", "voiced", "seized": no English verb ends so
        if last == "s":
            return None  # "caused" but "biased": spelling cannot tell
        if verb in ("created", "recreated") or (last == "t" and third + before in ("ia", "ua")):
            return stem + "e"  # "created", "initiated", "evaluated"
        return stem  # "claimed", "treated", "poured"
    if before not in vowels:
        if stem[-2:] in ("bl", "pl", "tl", "dl", "gl", "kl", "fl", "zl", "rs", "rc", "rg", "ng"):
            return None if stem[-2:] in ("ng", "rs", "rc", "rg") else stem + "e"
        if stem[-2:] in ("nc", "ns"):
            return stem + "e"  # "announced", "sensed": no English verb ends in -nc or -ns
        return stem  # "planted", "formed", "signed", "passed"
    # One vowel before one consonant: "created", "moved", "closed" take back their "e";
    # "visited", "opened", "focused" do not, and are left alone where spelling cannot tell.
    ending = stem[-2:]
    if last in "vc" or ending in ("iz", "ur", "ir", "ar", "id", "ud", "ad", "am", "um", "in"):
        return stem + "e"
    if ending in ("at", "ut", "ot", "os", "us") and third not in vowels:
        return stem + "e"
    return None
