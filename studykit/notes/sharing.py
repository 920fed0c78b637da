"""A library's readings shared with the second process: the one place work is shared
(`processes.parallel`).

Every command that reads the notes does the same work on each reading, reading by reading
(check it, build its deck, key its cards). Above a size where it pays, the readings are cut in
two runs of about equal size in section files, and the later run goes to the second process.
When the cut falls inside a large reading (one reading of 2,000 sections), that reading is cut
too: each process reads its part of the section files (`validate.read_part`), and this process
does the reading's work with both parts (`check_reading(read=...)`). So the second process does
whole readings, and one part of one reading, and sends back what they came to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from studykit.processes.parallel import MIN_SECTIONS, Shared, always_sharing, worth_sharing

if TYPE_CHECKING:
    from studykit.notes.validate.reading import SectionsRead

R = TypeVar("R")


@dataclass(frozen=True)
class Split:
    """A reading cut between the two processes: its section files, read in two parts, and what
    the work took of it apart from them (`SharedReadings`'s `before` and `meanwhile`)."""

    read: SectionsRead
    before: object = None
    meanwhile: object = None


# The work on one reading: its folder, and when it was cut in two, its parts read.
Work = Callable[[Path, Split | None], R]


class SharedReadings(Generic[R]):
    """`[work(folder, None) for folder in folders]`, the later readings' share computed in the
    second process, which starts at once: this process may do other work before `results()`
    does its own share. `theirs` is the second process's share of the section files: more than
    half when this process has other work to do meanwhile, all of them with 1.

    For a reading cut in two, the work is given its `Split` and what two other steps took of
    it: `before`, before the second process starts, what the work must take before any of its
    files is read (the deck: the files' digest); `meanwhile`, what the work can take without
    the notes, taken once this process has read its part, as it waits for the other's (the
    deck: the last build's manifest).

    A context manager: leaving it (on an error or Ctrl-C) stops a second process still at work.
    """

    def __init__(
        self,
        work: Work[R],
        folders: Sequence[Path],
        theirs: float = 0.5,
        before: Callable[[Path], object] | None = None,
        meanwhile: Callable[[Path], object] | None = None,
    ):
        from studykit.notes.library import section_file_count

        self.work, self.folders = work, list(folders)
        weights = [section_file_count(folder) for folder in self.folders]
        jobs, split, self.cut = _jobs(self.folders, weights, theirs)
        self.meanwhile = meanwhile
        self.before = None
        if self.cut is not None and before is not None:
            self.before = before(self.folders[self.cut])
        self.shared = Shared(self._do, jobs, split)

    def __enter__(self) -> SharedReadings[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shared.__exit__(*exc)

    def results(self) -> list[R]:
        """The work's result for each reading, in order."""
        finished: list[R] = []
        head: _Part | None = None
        for done in self.shared.results():
            if not isinstance(done, _Part):
                finished.append(done)
            elif head is None:
                head = done
            else:  # both parts of the reading cut in two: its work is done here
                split = Split(head.read + done.read, self.before, head.meanwhile)
                finished.append(self.work(self.folders[len(finished)], split))
        return finished

    def _do(self, job: _Job) -> R | _Part:
        if job.part is None:
            return self.work(job.folder, None)
        from studykit.notes.validate.reading import read_part

        read = read_part(job.folder, *job.part)
        first = job.part[0] == 0  # this process's part: the other is still being read
        meanwhile = self.meanwhile(job.folder) if first and self.meanwhile else None
        return _Part(read, meanwhile)


@dataclass(frozen=True)
class _Job:
    """A reading's whole work, or (`part`: the first file and the one after the last) the
    reading of some of its section files."""

    folder: Path
    part: tuple[int, int | None] | None = None


@dataclass(frozen=True)
class _Part:
    read: SectionsRead
    meanwhile: object


def _jobs(
    folders: list[Path], weights: list[int], theirs: float
) -> tuple[list[_Job], int, int | None]:
    """The jobs in order, the first of the second process's, and the reading cut in two (None
    when the cut falls between readings, or nothing is shared)."""
    whole = [_Job(folder) for folder in folders]
    total = sum(weights)
    if not folders or not worth_sharing(total):
        return whole, len(whole), None
    target = total * (1 - theirs)  # this process's share of the files
    done, index = 0, 0
    while index < len(weights) - 1 and done + weights[index] <= target:
        done += weights[index]
        index += 1
    weight, inside = weights[index], round(target - done)
    if 0 < inside < weight and (weight >= MIN_SECTIONS or always_sharing()):
        folder = folders[index]
        parts = [_Job(folder, (0, inside)), _Job(folder, (inside, None))]
        return [*whole[:index], *parts, *whole[index + 1 :]], index + 1, index
    # Between readings: at the nearer end of the one the cut falls in.
    split = index + (inside > weight / 2)
    return whole, split, None
