"""Which card of edited notes is which card before the edit, for a session that goes on.

A card keeps its key through an edit of its answer, its annotation, or of a front that has an
`id:`. Rewording the front of an item without an `id:` gives it a new identity, and so a new
key: the card is a new card for the store (as for Anki), but for the student it is the same
card, reworded. Where a section lost exactly one item of a kind and gained exactly one, the one
became the other (the rule the identity record follows when an item gains an `id:`); anything
less clear (two items reworded, one deleted) is no match: a guess could ask the wrong card.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from studykit.review.store import Key

if TYPE_CHECKING:
    from studykit.review.keyed import Keyed


def now_reads(before: Sequence[Keyed], after: Sequence[Keyed]) -> dict[Key, Keyed]:
    """Each card of `before` as the edited notes have it (`after`), by its key before: the card
    with that key, else the reworded card of the same number; cards the edit removed are left
    out."""
    by_key = {k.key: k for k in after}
    old = {k.note.identity for k in before}
    new = {k.note.identity for k in after}
    gone: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    born: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for k in before:
        if k.note.identity not in new:
            gone[k.note.section.id, k.note.kind].add(k.note.identity)
    for k in after:
        if k.note.identity not in old:
            born[k.note.section.id, k.note.kind].add(k.note.identity)
    reworded = {
        next(iter(identities)): next(iter(born[group]))
        for group, identities in gone.items()
        if len(identities) == 1 and len(born[group]) == 1
    }
    by_identity = {(k.note.identity, k.number): k for k in after}
    found: dict[Key, Keyed] = {}
    for k in before:
        card = by_key.get(k.key)
        if card is None and k.note.identity in reworded:
            card = by_identity.get((reworded[k.note.identity], k.number))
        if card is not None:
            found[k.key] = card
    return found
