"""Telling trainees apart: by their opaque id, or by name plus programme id; never by a slug.

Names are kept exactly as typed, in any script; to compare them, case, Unicode composition and runs
of spaces are ignored ("José" typed on two keyboards is one name). Two trainees with the same name
are told apart by their programme id (a student number or an email), so two Alex Morgans never share
a record or an xAPI account.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from trainer.attempt import Trainee
from trainer.errors import TrainerError
from trainer.record_migrations import is_uuid, legacy_trainee
from trainer.records.store import RecordStore, StoreUnavailable

if TYPE_CHECKING:
    from trainer.records.sessions import SkillsLabSession


def name_key(name: str) -> str:
    """What two spellings of one name have in common (for comparing, never for storing)."""
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def _same_person(a: Trainee, b: Trainee) -> bool:
    return name_key(a.name) == name_key(b.name) and _same_programme(a.programme_id, b.programme_id)


def _same_programme(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def matches(trainees: Iterable[Trainee], who: str, programme_id: str = "") -> list[Trainee]:
    """The trainees `who` names: by id; else by name (or, alone, by programme id) and, when given,
    programme id."""
    known = list(trainees)
    by_id = [t for t in known if t.id == who]
    if by_id:
        return by_id
    return [
        t
        for t in known
        if (name_key(t.name) == name_key(who) or (t.programme_id and _same_programme(t.programme_id, who)))
        and (not programme_id.strip() or _same_programme(t.programme_id, programme_id))
    ]


def one_of(trainees: Iterable[Trainee], who: str, programme_id: str = "", where: str = "here") -> Trainee:
    """The one trainee `who` names; TrainerError if none or several do."""
    found = matches(trainees, who, programme_id)
    if len(found) == 1:
        return found[0]
    if not found:
        raise TrainerError(f"no trainee matches '{who}' {where}")
    raise TrainerError(
        f"{len(found)} trainees {where} are called '{who}': give the programme ID too, or the trainee id"
    )


def sign_in(store: RecordStore, name: str, programme_id: str = "", chosen_id: str = "") -> Trainee:
    """The trainee training on their own: the one picked from the known list (`chosen_id`), else the
    known trainee with this name and programme id, else a new trainee with a fresh opaque id."""
    chosen = store.trainee(chosen_id) if chosen_id else None
    if chosen is not None and name_key(chosen.name) == name_key(name):
        return chosen
    wanted = Trainee("", name, programme_id)
    same = [t for t in store.trainees() if _same_person(t, wanted)]
    if same:
        return same[0]
    return store.add_trainee(_new(name, programme_id))


def sign_in_here(
    store: RecordStore,
    session: SkillsLabSession | None,
    name: str,
    programme_id: str = "",
    picked_id: str = "",
    notices: list[str] | None = None,
) -> Trainee:
    """The game's sign-in: on a session's roster, or on one's own. A store that cannot be written
    never stops training: the trainee is then not remembered and `notices` says why."""
    try:
        if session is None:
            return sign_in(store, name, programme_id, picked_id)
        trainee = session.sign_in(name, programme_id)
        return store.add_trainee(trainee)
    except StoreUnavailable as exc:
        if notices is not None:
            notices.append(str(exc))
        return session.sign_in(name, programme_id) if session is not None else _new(name, programme_id)


def _new(name: str, programme_id: str) -> Trainee:
    try:
        return Trainee.new(name, programme_id)
    except ValueError as exc:
        raise TrainerError(str(exc)) from None


def remembered(store: RecordStore, trainee_id: str, name: str) -> Trainee:
    """The trainee a settings file remembers, its id brought up to date if an older version
    derived it from the name."""
    known = store.trainee(trainee_id)
    if known is None and trainee_id and not is_uuid(trainee_id):
        known = store.trainee(legacy_trainee({"id": trainee_id, "name": name})["id"])
    return known or Trainee(trainee_id, name)


def matched_roster(known: Iterable[Trainee], roster: Iterable[Trainee]) -> list[Trainee]:
    """A roster with each entry that is a known trainee (same id, or same name and programme id)
    given that trainee's id, so the same resident keeps one record across sessions."""
    known = list(known)
    out = []
    for entry in roster:
        same = [t for t in known if t.id == entry.id or _same_person(t, entry)]
        out.append(Trainee(same[0].id, entry.name, entry.programme_id) if len(same) == 1 else entry)
    return out
