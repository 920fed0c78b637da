"""What a pull did, as the student reads it: the lines `studykit pull` prints and its JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studykit.review import settings as fsrs_settings
from studykit.words import plural


@dataclass(frozen=True)
class PullReport:
    """What a pull did, as the student reads it."""

    answers: int  # Anki answers new to the store
    updated: int  # cards whose state changed
    cards: int  # studykit cards Anki has answered
    ignored_notes: int  # notes in the collection studykit did not make
    unseen: int  # studykit cards Anki has never answered
    suspended: int  # cards newly suspended because they are suspended in Anki
    adopted: fsrs_settings.FsrsSettings | None  # the settings adopted now (None: unchanged)
    preset: str  # the preset the settings come from
    preset_cards: int  # studykit cards in it
    presets: int  # presets studykit's cards are in
    own: bool  # the preset has parameters of its own (not FSRS's defaults)
    notice: str | None = None  # a store moved aside on opening
    kept: str | None = None  # the origin of fitted parameters kept over the preset's defaults
    unusable: str | None = None  # why the preset's own settings were set aside (FSRS's defaults)
    ignored_cards: int = 0  # cards of studykit's notes that the notes do not have
    stale: int = 0  # cards left as they were: the store has later answers to them
    former_notes: int = 0  # ignored notes studykit made of items the notes no longer have

    def lines(self, name: str) -> list[str]:
        """The report as the student reads it."""
        lines = [
            f"pulled {name}: {plural(self.answers, 'answer')} merged, "
            f"{plural(self.updated, 'card')} updated",
            f"ignored {plural(self.ignored_notes - self.former_notes, 'note')} studykit did "
            "not make"
            + (
                f", {plural(self.former_notes, 'note')} of items your notes no longer have"
                if self.former_notes
                else ""
            )
            + (
                f" and {plural(self.ignored_cards, 'card')} your notes do not have"
                if self.ignored_cards
                else ""
            )
            + f"; {plural(self.unseen, 'studykit card')} Anki has not seen",
        ]
        if self.stale:
            them = "it" if self.stale == 1 else "them"
            lines.append(
                f"kept {plural(self.stale, 'card')} as in the store, which holds later answers "
                f"or changes to {them} than this file (reviewed in the terminal since, or an "
                "older backup)"
            )
        if self.unusable is not None:
            lines.append(
                f"Anki preset '{self.preset}' has {self.unusable}, which Anki never writes: "
                "FSRS's default settings are used in its place"
            )
        if self.suspended:
            lines.append(f"suspended {plural(self.suspended, 'card')}, as in Anki")
        if self.adopted is not None:
            which = "its own parameters" if self.own else "FSRS's default parameters"
            line = (
                f"review now schedules with Anki preset '{self.preset}' "
                f"(desired retention {self.adopted.retention:.2f}, {which})"
            )
            if self.presets > 1:
                line += (
                    f", the preset of {self.preset_cards} of your cards "
                    f"({self.presets} presets in all)"
                )
            lines.append(line)
        if self.kept is not None:
            lines.append(
                f"review keeps the parameters {self.kept}: Anki preset '{self.preset}' has "
                "FSRS's defaults"
            )
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "answers_merged": self.answers,
            "cards_updated": self.updated,
            "cards_answered_in_anki": self.cards,
            "ignored_notes": self.ignored_notes,
            "ignored_cards": self.ignored_cards,
            "cards_unseen_by_anki": self.unseen,
            "suspended": self.suspended,
            "preset": self.preset,
            "preset_cards": self.preset_cards,
            "presets": self.presets,
            "adopted": None
            if self.adopted is None
            else {
                "parameters": list(self.adopted.parameters),
                "retention": self.adopted.retention,
                "origin": self.adopted.origin,
            },
            "kept": self.kept,
            "preset_unusable": self.unusable,
            "cards_kept_newer": self.stale,
            "former_notes": self.former_notes,
        }
