"""Sentences that lean on something before them: a pronoun for a subject ("In 1912 he
presented ..."), a thing, a place or a time named earlier ("these enzymes", "there", "the same
year"), a finding told by who made it. A card from one cannot say who or what.
"""

from __future__ import annotations

import re

from studykit.ingest.names import NameFinder
from studykit.ingest.sentences import STOPWORDS

# The sentence's subject is a pronoun, after an opening time or place phrase at most ("In
# January 1912 he presented ..."): the card cannot say who or what.
_PRONOUN_SUBJECT = re.compile(
    r"(?:(?:However|Thus|Still|Yet|Also|Instead|Therefore|Moreover|So|Now|Then),?\s+)?"
    r"(?:(?:In|On|At|By|After|Before|During|Since|Until|From|Later|Then|Soon)"
    r"(?:\s+(?:the|a|an|in|on|at|early|late|mid|[A-Z\d][\w'’.-]*)){1,4},?\s+)?"
    r"(?i:he|she|they|this|these|those|we|his|her|its|their"
    # Not the "it" of "It is estimated that ...": it stands for no thing.
    r"|it(?!\s+(?:is|was|has\s+been)\s+(?:\w+\s+)?(?:that|to|not\s+until)\b))\b"
)


_GROUPS_OF_PEOPLE = frozenset(
    "group party company team family society movement circle members others band crew".split()
)
_OF_THE_GROUP = re.compile(r"\bof\s+the\s+([a-z]+)\b(?!\s+(?:of|that|which|who)\b)")


# An instruction to the reader ("Have a look into ...", "Please report ...", "Use ..."): what
# it hides is no fact of the reading.
_IMPERATIVE = re.compile(
    r"[\"'“‘(]*(?:Have|Please|Use|Note|See|Make|Read|Check|Try|Run|Install|Send|Report|Do"
    r"|Don't|Don’t|Keep|Avoid|Look|Remember|Consider|Add|Set|Put|Write|Ask|Go|Let|Call|Click"
    r"|Open|Type|Enter|Select|Choose|Find|Follow|Refer|Mail|Email|Visit|Scan|Edit|Include"
    r"|Attach|Search|Submit|Compare|Ignore|Start|Stop|Be)\s+(?!(?:is|are|was|were|has|had)\b)"
    r"[a-z`\"'“‘]"
)


# The subject after an opening phrase of any length ("After clashes with ... in 1864, their
# leaders concluded ..."): a pronoun or a pronoun's determiner, which the card cannot resolve.
_PRONOUN_AFTER_OPENING = re.compile(
    r"^[^,;]{0,200},\s+(?:he|she|they|it|we|this|these|those|his|her|its|their|our)\s"
)
# "In about 98 percent of lichens it is an ascomycete": the subject after a phrase with no comma.
_PRONOUN_AFTER_PHRASE = re.compile(
    r"(?:In|On|At|By|For|Of|With)\s[^,;]{0,80}?\s(?:it|they|he|she)\s+"
    r"(?:is|are|was|were|has|had|can|could|will|would)\b"
    # "Under the oceans it ranges from ...": a phrase of place, then the pronoun and its verb
    r"|(?:Under|Over|Beneath|Below|Above|Across|Along|Around|Within|Near|Inside|Outside"
    r"|Throughout)\s[^,;]{0,80}?\s(?:it|they|he|she)\s+[a-z]+\b"
)


# "these enzymes", "this method", "those years": a thing named in a sentence before.
def _leans_on_something_before(text: str) -> bool:
    """Whether a point to read leans on a sentence before it past its first word: "this
    loss", "those plasma proteins", "Almost a century later, ...", "Read them before ...".
    A pronoun for a thing inside it ("criticised it at ...") still reads as a fact."""
    opened = text.lstrip("\"'“‘(*_")
    return bool(
        _DEMONSTRATIVE.search(text)
        or _TIME_AFTER.match(opened)
        or (_IMPERATIVE.match(opened) and _IMPERATIVE_ON_IT.match(opened))
    )


# "Written by ...", "Lecture notes prepared by ...": who wrote the text, no point of it.
_BYLINE_OPENS = re.compile(
    r"By\s+(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*\s*(?:[,·|]|\.?$)"
    r"|(?:Written\s+by|(?:Lecture\s+notes\s+|Notes\s+)?(?:[Pp]repared|[Cc]ompiled)\s+by"
    r"|Authors?:)\s"
)
# "Read them before the lecture": an instruction about a thing named before.
_IMPERATIVE_ON_IT = re.compile(r"\S+\s+(?:them|it|these|those|this|that)\b")
# "The third variable", "the previous two functions": counted from things named before.
_ORDINAL_BACK = re.compile(
    r"^[\"'“‘(*_]*The\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+[a-z]"
    r"|\b[Tt]he\s+(?:previous|preceding|above|aforementioned|latter|former)\s+(?:(?:two|three"
    r"|four|five|few)\s+)?[a-z]"
)
_DEMONSTRATIVE = re.compile(r"\b(?:[Tt]hese|[Tt]hose|[Tt]his)\s+[a-z]")


# "there" as a place named before ("founded the Aldine Press there"), not "there is".
_THERE = re.compile(
    r"\b[Tt]here\b(?!\s+(?:is|are|was|were|has|have|had|will|would|may|might|could|can|must"
    r"|should|seems?|seemed|appears?|appeared|exists?|existed|remains?|remained|being|been|be)\b)"
)


# "Baden and Nassau joined in 1835": joined what? A verb whose object was named before.
_NO_OBJECT = re.compile(
    r"(?<!was )(?<!were )(?<!been )(?<!is )(?<!are )(?<!be )"
    r"\b(?:joined|followed|withdrew|signed|agreed|entered|returned|resigned|surrendered"
    r"|capitulated|complied|acceded|ratified)\s+(?:in|on|by|at|soon|later|too|as\s+well)\b"
)
# "Two centuries later ...", "A few years earlier ...": later than what a sentence before told.
_TIME_AFTER = re.compile(
    r"(?:[A-Z]\w*\s+)?(?:\w+\s+)?(?:years?|decades?|centur(?:y|ies)|months?|weeks?|days?"
    r"|generations?)\s+(?:later|earlier|afterwards?|before)\b"
)
# "Hardin borrowed the example from ...": an example, an idea or a theory a sentence before
# gave; "the idea of ...", "the theory that ..." say which.
_THE_ONE_BEFORE = re.compile(
    r"\b[Tt]he\s+(?:(?:general|same|new|original|main|final|whole|basic|earlier|central)\s+)?"
    r"(?:example|idea|term|phrase|theory|method|practice|argument|model|problem"
    r"|plan|proposal|approach|concept|principle|notion|word|scheme|policy|result|syndrome"
    r"|disease|disorder|condition|demonstration|experiment|discovery|invention|technique"
    r"|device|phenomenon|procedure|deaths|victims|epidemic|outbreak|crisis|attack|dimensions"
    r"|error|mistake|figure|estimate|package|programme|bill|deal|boy|girl|child|man|woman"
    r"|speech|letter|essay|article|lecture|address|meeting|mountains|river|border|course"
    r"|colony|workshop|school|institution|organisation|organization"
    # "excavations at the site", "that the venom potentiated ...": which site, which venom?
    r"|site|venom|poison|toxin|drug|compound|substance|species|archive|manuscript)\b"
    r"(?!\s+(?:of|that|which|who|whose|where|called|known|named|for|behind)\b)"
    r"(?!\s+[*_\"“]*[A-Z])"  # "the species *Photinus carolinus*" says which
)


# "The city grew by ...", "The treaty was signed ...": a city or a treaty named before.
_OPENS_WITH_THE_KIND = re.compile(
    r"The\s+(?:city|country|region|empire|state|war|treaty|plan|policy|party|government"
    r"|movement|book|novel|law|act|army|king|queen|emperor|company|island|town|capital|colony"
    r"|kingdom|dynasty|republic|revolution|campaign|programme|program|reform|reforms|rebellion"
    r"|settlement|agreement|conference|council|scheme|project|name|names|term|word|trial|trials"
    r"|results|findings|changes|measures|events|rebels|troops|authorities|answer)\s+"
    r"(?!(?:of|that|which|who|whose|where|in|on|at|for|from|known|called)\b|[A-Z\d(])"
    r"|The\s+[a-z]+\s+that\s+(?:followed|ensued|came\s+after)\b"
)


def _leans_back(text: str) -> bool:
    """Whether the sentence's subject is a pronoun or a pronoun's determiner ("In 1912 he
    ...", "..., their leaders concluded ..."), a person's pronoun stands anywhere in it ("With
    Anna Schwartz he wrote ..."), or it points at a thing, a place or a time named before
    ("these enzymes", "there", "the same year", "the three men"): a card on it could not say
    who or what."""
    opened = text.lstrip("\"'“‘(*_")
    return bool(
        _PRONOUN_SUBJECT.match(opened)
        or _PRONOUN_AFTER_OPENING.search(opened)
        or _PRONOUN_AFTER_PHRASE.match(opened) is not None
        or (_PERSONAL_PRONOUN.search(text) is not None and not _opens_with_a_name(opened))
        or _PRONOUN_SECOND.match(opened) is not None
        or _INSTEAD.search(text) is not None
        or _PRONOUN_AFTER_PREPOSITION.match(opened) is not None
        or _MORE_OF_THE_SAME.match(opened) is not None
        or _ITSELF.match(opened) is not None
        or _AFTER_WHAT.match(opened) is not None
        or _OPENING_PURPOSE.match(opened) is not None
        or _SOME_OF_THEM.match(opened) is not None
        or _SUCH.search(text) is not None
        # "each member of the group": which group?
        or any(m.group(1) in _GROUPS_OF_PEOPLE for m in _OF_THE_GROUP.finditer(text))
        or _UNRESOLVED_OBJECT.match(text) is not None
        or _HIM.search(text) is not None
        or _DEMONSTRATIVE.search(text)
        or _COUNTED_BACK.search(text)
        or _THERE.search(text)
        or _THE_ONE_BEFORE.search(text)
        or _OPENS_WITH_THE_KIND.match(opened) is not None
        or _NO_OBJECT.search(text) is not None
        or _TIME_AFTER.match(opened) is not None
    )


def _unowned(text: str, names: NameFinder) -> bool:
    """Whether a possessive or an object pronoun stands for something named in a sentence
    before: "copies of his writings" with no one named before "his", "built on its
    achievements" with nothing before "its", "Tetzel preached it" (a subject is no object of its
    own verb), "defended them" with no plural before. A card on it could not say whose or what."""
    spans = names.spans(text)
    # "A, B and C shared ... for its discovery", "Margaret Hamilton led the team that wrote
    # its flight software": a person or people is no "its".
    people = _PEOPLE.match(text) is not None or _PERSON_SUBJECT.match(text) is not None
    for match in _POSSESSIVE.finditer(text):
        at = match.start()
        singular = match.group().lower() == "its"
        plural = match.group().lower() == "their"
        if plural:
            # "The Royal Swedish Academy of Sciences noted that their work ...": one name is
            # no "their"; a plural or names joined are.
            if _PLURAL_BEFORE.search(text, 0, at):
                continue
            return True
        if singular and people:
            return True
        if any(start < at for start, _ in spans):
            continue
        if match.group().lower() in ("its", "their") and _THING_BEFORE.search(text, 0, at):
            continue
        return True
    for match in _OBJECT_PRONOUN.finditer(text):
        before = text[: match.start()]
        if match.group() == "them":
            if not _PLURAL_BEFORE.search(before):
                return True
        elif _ONE_PHRASE_THEN_VERB.fullmatch(before):
            return True
    return False


_PEOPLE = re.compile(
    r"(?:[A-Z][\w'’-]*\s+){1,3}?[A-Z][\w'’-]*(?:,\s+(?:[A-Z][\w'’-]*\s+){1,3}?[A-Z][\w'’-]*)*"
    r",?\s+and\s+(?:[A-Z][\w'’-]*\s+){1,3}?[A-Z][\w'’-]*\s+[a-z]"
)
_PERSON_SUBJECT = re.compile(
    r"[A-Z][a-z]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+)?\s+(?:led|wrote|designed|built|founded|directed"
    r"|became|joined|left|ran|headed|chaired"
    r"|invented|discovered|described|proposed|argued|devised|developed)\b"
)
_POSSESSIVE = re.compile(r"\b(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\b(?!\s+own\b)")
_THING_BEFORE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+[a-z]")
_OBJECT_PRONOUN = re.compile(
    r"(?<=\s)(?:it|them)\b(?!\s+(?:possible|impossible|easier|harder|difficult|necessary|clear)\b)"
)
_PLURAL_BEFORE = re.compile(
    r"\b(?!(?:this|thus|has|was|its|does|less|across|unless|always|perhaps|towards|whereas"
    r"|sometimes|his|is|as|us|yes|various|famous|serious|previous|numerous)\b)[a-z]{3,}s\b"
    r"|[A-Z][\w'’-]*\s+(?:and|&)\s+[A-Z]"
)
# Only the subject before the verb: "The Dominican friar Johann Tetzel preached ".
_ONE_PHRASE_THEN_VERB = re.compile(
    r"(?:(?:The|A|An)\s+)?(?:(?!(?:the|a|an|of|in|on|at|to|for|from|with|by|and|or|that|which"
    r"|who|whom|into|as)\b)[\w'’.-]+\s+){1,7}"
)
# A publication's author or year: "A 2013 study led by ...", "according to a 2007 review ...".
_CITATION = re.compile(
    r"\b[Aa]ccording\s+to\b|\b(?:[Ss]tudies|[Rr]esearch|[Ee]xperiments|[Ss]urveys"
    r"|contribution|contributions|patch|patches)\s+by\b|\b(?:[Aa]n?|[Tt]he)\s+(?:\d{4}\s+)?(?:[a-z-]+\s+)?"
    r"(?:study|review|survey|paper|report|analysis|experiment|trial|meta-analysis)\b"
)
# The one who gives a figure: "The World Health Organization estimates that 81,000 ...".
_ESTIMATES = re.compile(
    r"\s+(?:(?:has|have|had|now|once|later)\s+)?(?:estimates|estimated|reckons|reckoned"
    r"|calculates|calculated|projects|projected|puts|put)\s+(?:that\b|\d|(?:the|its|a)\s+"
    r"(?:number|toll|total|figure|cost|death\s+toll)\b)"
)
_COLLEAGUES = re.compile(r"\b(?:his|her|their)\s+(?:colleagues|co-workers|team|students)\b")
_FINDING = re.compile(
    r"\b(?:found|finds|showed|shows|shown|reported|reports|concluded|estimated|estimates"
    r"|suggested|suggests|argued|warned|demonstrated|confirmed)\b"
)


_ATTRIBUTIVE = re.compile(
    r"\s+(?:dollars?|pounds?|francs?|marks?|yen|lira|rupees?|astronomers|scientists|soldiers"
    r"|troops|forces|citizens|officials|ships|merchants|farmers|workers|settlers|colonists"
    r"|authorities|historians|scholars|writers|painters|poets|critics|missionaries|delegates)\b"
)
_KNOWN_AS = re.compile(r",?\s+(?:(?:also|better|now|often)\s+)?(?:known|called|named)\b")


def _half_a_quotation(text: str, start: int, end: int) -> bool:
    """Whether the name stands inside quotation marks that hold more than it."""
    for opening, closing in (("“", "”"), ('"', '"')):
        before = text[:start]
        opened = before.rfind(opening)
        if opening == closing:
            inside = before.count(opening) % 2 == 1
        else:
            inside = opened > before.rfind(closing)
        if inside:
            return not (text[opened + 1 : start].strip() == "" and text[end : end + 1] == closing)
    return False


# An opening phrase of time, up to where a name stands in it: "Two years after the end of the".
_OPENING_TIME = re.compile(
    r"[^,;]{0,80}\b(?:[Aa]fter|[Bb]efore|[Dd]uring|[Ss]ince|[Uu]ntil|[Ff]ollowing|[Ss]oon after"
    r"|[Bb]y the end of|[Aa]t the end of|[Ii]n the wake of)\b[^,;]*$"
)
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
_OPENING_ERA = re.compile(
    r"[\"'“‘(]*(?:In|During|By|Through|Throughout|Since|Until|Before|After)\s+the\s+"
    r"(?:early\s+|late\s+|mid-)?$"
)
_NAMED_WORK_OF = re.compile(
    r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[A-Z][\w'’-]*\s+(?:[a-z]{1,5}\s+)?)+of\s+$"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*")
_THING_OF_ABOUT = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:[a-z-]+\s+){1,2}?of\s+(?:about|around|circa|c\.|ca\.)\s+$"
)
_IN_A_PARTICIPLE = re.compile(
    r",\s+(?:(?:[a-z]+ly|first|later|once|still|then)\s+)?(?:[a-z]+(?:ed|en)|sold|built|made|held"
    r"|born|found|led|won|set|put|taught|bought|brought|thought|known|begun|sung|run|shown)\s+"
    r"[^,;:()]*$"
)
# "a journey he began in {{1689}}": a relative clause without its "that", on a thing the
# sentence names; a side detail of it.
_CONTACT_CLAUSE = re.compile(
    r"\b(?:an?|the|his|her|their|its)\s+[a-z]+\s+(?:he|she|they|it|we)\s+[a-z]+\s+[^,;:()]*$"
)
_YEAR_OF_A_THING = re.compile(r"\b(?:[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Aa]n?|[Tt]he)\s+$")
_A_NOUN_AFTER = re.compile(
    r"\s+(?!(?:the|a|an|and|or|of|to|in|on|at|by|for|with|from|when|as|that|which|who|was"
    r"|were|is|are|had|has|saw|brought|marked)\b)[a-z]"
)


def _without_affiliation(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A name without the institution or the town it is "of": "George Wald of Harvard
    University" is George Wald, "Lorenz Helmschmid of Augsburg" Lorenz Helmschmid; where they
    worked is another fact. A name of one word before "of" is a name with it ("Catherine of
    Aragon", "Bank of England"), as is one whose words name a body ("Academy of Sciences")."""
    start, end = span
    affiliated = _AFFILIATION.search(text, start, end)
    if affiliated is not None:
        return start, affiliated.start()
    person = _PERSON_OF_PLACE.fullmatch(text, start, end)
    if person is not None and not _BODY_WORDS & set(person.group(1).split()):
        return start, start + len(person.group(1))
    return span


_PERSON_OF_PLACE = re.compile(r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+)\s+of\s+[A-Z][\w'’-]*")
_BODY_WORDS = frozenset(
    """Academy Bank Society University College Council Department Institute Museum Church
    Republic Kingdom Empire Union Company Commission League Court Assembly Congress House
    Treaty Battle Siege Peace Edict Diet Act Bill Party Army Navy School Order Guild Library
    Ministry Office Board Federation Association Conference Convention Cathedral Abbey Isle
    Island Bay Gulf Sea River Lake Mount Cape Duchy County Province State City Port Field
    Cloth Duke Earl Prince Princess King Queen Emperor Bishop Archbishop Lord Lady Count""".split()
)


_AFFILIATION = re.compile(
    r"\s+of\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)*(?:University|College|Institute|Laboratory"
    r"|Laboratories|Hospital|School|Academy|Museum|Observatory|Society)\b.*$"
)


def _ends_on_a_thing_before(text: str) -> bool:
    """Whether the sentence ends on its verb's object, a bare "the <thing>" named before ("...
    and its tongue fits the spur."): which spur, the card cannot say."""
    match = _THE_THING_AT_END.search(text)
    return match is not None and not _SETTING_BEFORE.search(
        text, max(0, match.start() - 12), match.start()
    )


# A preposition or a verb's particle: "about the language", "ploughed up the grass" is a
# setting or a whole phrase, not an object pointing back.
_SETTING_BEFORE = re.compile(
    r"\b(?:in|on|at|by|to|of|for|from|with|into|onto|over|under|across|through|during|about"
    r"|up|down|out|off|away|around|against|among|between|behind|beyond|towards?|upon|within"
    r"|without|along|after|before|near|past|throughout|like)\s+$"
)

_THE_THING_AT_END = re.compile(
    r"\b[Tt]he\s+(?!(?:war|world|sun|moon|earth|sea|public|people|economy|state|church|crown"
    r"|throne|election|government)\b)[a-z][\w-]*[.!]$"
)


def _cited(text: str, start: int) -> bool:
    """Whether a deletion at `start` would hide who wrote or when appeared a study the sentence
    cites (up to the verb of its finding), rather than what it found."""
    if _COLLEAGUES.search(text):
        return True  # "In 2017 Thomas Boothby and his colleagues described ...": a study's
    for match in _CITATION.finditer(text):
        if match.start() > start + 10:
            break
        finding = _FINDING.search(text, match.end())
        if start < (finding.start() if finding is not None else len(text)):
            return True
    return False


def _opens_with_a_name(text: str) -> bool:
    """Whether the sentence opens with a capitalised word that is no common opener: a name,
    which a later "he" or "they" may stand for ("Peng Dehuai criticised ..., and he was ...")."""
    first = text.split(" ", 1)[0].strip(",;:")
    return first[:1].isupper() and first.lower() not in STOPWORDS and not first[:1].isdigit()


# A subject pronoun for a person or a group, wherever it stands: who it is lies outside,
# unless the sentence opens with a name.
_PERSONAL_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e)\b")
# "Together they filter ...", "Later he wrote ...": an opening word, then a pronoun subject.
_PRONOUN_SECOND = re.compile(r"[A-Z][a-z]+,?\s+(?:he|she|they|we|it)\s")
# "Most of them sit along ...": some of the ones a sentence before named.
_SOME_OF_THEM = re.compile(
    r"(?:Most|Some|Many|All|Few|Each|None|Several|Both|One|Two|Three|Half|Much|Part)\s+of\s+"
    r"(?:them|these|those|it|this)\b"
)
# "In 79 AD such flows buried ...": flows of the kind a sentence before described.
_SUCH = re.compile(r"\b[Ss]uch\s+(?!as\b)[a-z]")
# "To climb it, Nathan Roberts designed ...": an opening purpose whose object was named before.
_OPENING_PURPOSE = re.compile(r"To\s+[a-z]+\s+(?:it|them|this|these|those)\b")
# "Among them were ...", "Of these, ...": the ones named in a sentence before.
_PRONOUN_AFTER_PREPOSITION = re.compile(
    r"(?:Among|Of|For|From|With|Like|Unlike|Besides|Beside|Despite)\s+"
    r"(?:them|it|these|those|him|her|this|that|which)\b"
)
# "Afterwards the assembly executed ...": after what a sentence before told.
_AFTER_WHAT = re.compile(
    r"(?:Afterwards|Afterward|Subsequently|Thereafter|Meanwhile|Then|Later|Others)\b"
    # "In the decades that followed, ...": followed what a sentence before told
    r"|(?:In|During|Over|For)\s+the\s+(?:[a-z]+\s+)?(?:years?|decades?|centur(?:y|ies)"
    r"|months?|weeks?|days?|period|generations?)\s+that\s+(?:followed|ensued)\b"
)
# "The term itself was popularised ...": the term a sentence before named.
_ITSELF = re.compile(r"[Tt]he\s+[a-z]+\s+(?:itself|themselves)\b")
# "Further global events followed ...", "Other scholars ...": more of what came before.
_MORE_OF_THE_SAME = re.compile(
    r"(?:Further|Other|Another|Similar|Additional|Subsequent|Such)\s+(?:[a-z][\w-]*\s+)*?"
    r"(?:[a-z][\w-]*s|event|one|case|attempt|example)\b|Another\s+[a-z]"
)
# "Edmund Burke analysed it in ...": "it" or "them" as a verb's object, with no noun phrase
# before it in the sentence (a determiner and a word), stands for something named before.
_UNRESOLVED_OBJECT = re.compile(
    r"(?:(?!\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s)"
    r"[^,;:])*?\b(?:[a-z]+ed|to\s+[a-z]+)\s+(?:it|them)\b"
)
_SAME = re.compile(r"\b[Tt]he\s+same\b")
# "Second, the nobility was ...", "The tides have also locked ...": one of several points.
_SUMMARY_GOES_ON = re.compile(
    r"^(?:First|Second|Third|Fourth|Fifth|Next|Finally|Lastly|Also)\b|(?<!\bbut )\balso\b"
)
# "dedicated Don Juan to him": an object is someone other than the sentence's subject.
_HIM = re.compile(r"\bhim\b")
# "... instead.": in place of what a sentence before said.
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\b)", re.IGNORECASE)
# "the same year", "the three men", "both men": a time or people counted in a sentence before.
_COUNTED_BACK = re.compile(
    r"\b(?:[Tt]he\s+(?:same|two|three|four|five|six|seven|eight|nine|ten|following|next"
    r"|previous|preceding)|[Bb]oth)\s+[a-z]"
)


_WORD_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][\w+#'’.-]*)\s$")
# Capitalised words a date follows: a month, a season, an era, or a sentence's opening word.
_BEFORE_A_DATE = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter ad bc ce
    bce in on at by from since until till after before during around about circa ca c the
    between of""".split()
)
