"""Extractive summaries by TextRank (Mihalcea and Tarau, 2004), small and offline.

Sentences are nodes; two sentences are linked by the words they share, normalised by their
lengths (the paper's similarity: overlap / (log |a| + log |b|)); PageRank over that graph ranks
them, and the best are returned in reading order. Library summarisers either download data at
run time (sumy's and NLTK's tokenizers fetch punkt) or bring models far larger than the job;
a reading's excerpt is a few paragraphs, for which this is enough and deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter

# Sentence ends: . ! ? (and the CJK full stops) followed by space and a capital, digit, quote
# or bracket; or a CJK full stop anywhere. Common abbreviations do not end a sentence.
_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Þ])|(?<=[。！？])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st vs etc e.g i.e cf c ca al fig no vol pp p jr sr gen col lt u.s".split()
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in into
    is it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself""".split()
)
DAMPING = 0.85
MAX_RANKED = 300
"""Sentences TextRank compares with each other. Its cost is the square of their number (3,000
short ones took 14 s and 380 MB, a section of 256 KB could hold 15,000), so a longer text is
first narrowed to those whose words recur most across it, in one pass, and those are ranked."""
MAX_RANKED_WORDS = 20_000
"""Words those sentences may hold together: comparing two costs about their length, so 300
sentences of 400 words each (a 1 MB section) would still take seconds."""


def sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping each sentence's own characters."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        carry = ""
        for piece in _END.split(" ".join(paragraph.split())):
            piece = piece.strip()
            if not piece:
                continue
            candidate = f"{carry} {piece}" if carry else piece
            last = candidate.rsplit(None, 1)[-1].rstrip(".").lower() if candidate else ""
            if last in _ABBREVIATIONS and candidate.endswith("."):
                carry = candidate  # "Dr. Sen" or "c. 1959": the sentence goes on
                continue
            pieces.append(candidate)
            carry = ""
        if carry:
            pieces.append(carry)
    return pieces


def words(sentence: str) -> list[str]:
    """Content words of a sentence, lowercased; CJK text counts character by character."""
    found: list[str] = []
    for word in _WORD.findall(sentence.lower()):
        if _CJK.search(word):
            found.extend(ch for ch in word if _CJK.match(ch))
        elif word not in STOPWORDS and len(word) > 1:
            found.append(word)
    return found


def similarity(a: list[str], b: list[str]) -> float:
    """Shared words over the log of the sentences' lengths (0 when either is too short)."""
    return _similarity(len(a), set(a), len(b), set(b))


def _similarity(size_a: int, a: set[str], size_b: int, b: set[str]) -> float:
    if size_a < 2 or size_b < 2:
        return float(len(a & b) > 0) * 0.5 if size_a and size_b else 0.0
    return len(a & b) / (math.log(size_a) + math.log(size_b))


def rank(items: list[str], iterations: int = 100, tolerance: float = 1e-6) -> list[float]:
    """The TextRank score of each sentence."""
    count = len(items)
    if count == 0:
        return []
    bags = [words(s) for s in items]
    sizes, sets = [len(b) for b in bags], [set(b) for b in bags]
    weights = [
        [_similarity(sizes[i], sets[i], sizes[j], sets[j]) if i != j else 0.0 for j in range(count)]
        for i in range(count)
    ]
    totals = [sum(row) for row in weights]
    scores = [1.0 / count] * count
    for _ in range(iterations):
        shares = [scores[j] / totals[j] if totals[j] else 0.0 for j in range(count)]
        new = [
            (1 - DAMPING) / count + DAMPING * sum(weights[j][i] * shares[j] for j in range(count))
            for i in range(count)
        ]
        done = max(abs(x - y) for x, y in zip(new, scores, strict=True)) < tolerance
        scores = new
        if done:
            break
    return scores


def summarize(text: str, limit: int) -> list[str]:
    """The `limit` most central sentences of `text`, in their original order."""
    items = sentences(text)
    if limit <= 0 or not items:
        return []
    if len(items) <= limit:
        return items
    many = len(items) > MAX_RANKED or sum(len(words(s)) for s in items) > MAX_RANKED_WORDS
    candidates = _shortlist(items) if many else list(range(len(items)))
    scores = dict(zip(candidates, rank([items[i] for i in candidates]), strict=True))
    # Ties go to the earlier sentence: openings state the topic more often than not.
    best = sorted(candidates, key=lambda i: (-scores[i], i))[:limit]
    return [items[i] for i in sorted(best)]


def _shortlist(items: list[str]) -> list[int]:
    """The MAX_RANKED sentences (by index) sharing the most words with the rest of the text,
    weighed as `similarity` weighs them: the ones TextRank would find central, in linear time."""
    bags = [set(words(s)) for s in items]
    spread = Counter(w for bag in bags for w in bag)
    share = [
        sum(spread[w] - 1 for w in bag) / (math.log(len(bag)) + 1) if bag else 0.0 for bag in bags
    ]
    best: list[int] = []
    total = 0
    for i in sorted(range(len(items)), key=lambda i: (-share[i], i))[:MAX_RANKED]:
        total += len(bags[i])
        if best and total > MAX_RANKED_WORDS:
            break
        best.append(i)
    return sorted(best)
