"""Forged saved projections and indexes, as someone who can write the database would make them.

Each attack edits the ``checkpoints`` table behind the ledger's back (no key: the key lives in
the user's own files). Every forgery must be named by ``verify``, never served: the answer
comes from the events, with one warning, and the checkpoint is saved again, sound. Runs on
SQLite in memory, SQLite on disk and PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from projection_builders import Recorder
from sqlalchemy import delete, select, update

from ledger.application.checkpoints import CHECKPOINT_PREFIX, REACH_CHECKPOINT
from ledger.application.ledger import Ledger
from ledger.domain.events import (
    AgreementSigned,
    EntityRegistered,
    MemberJoined,
    MilestoneReached,
    RestrictionEnacted,
    Retracted,
)
from ledger.domain.state import ProgramState
from ledger.errors import CheckpointWarning
from ledger.persistence.schema import checkpoints
from ledger.persistence.sealing import MAGIC, Seal, split
from ledger.persistence.store import EventStore

ILRS = CHECKPOINT_PREFIX + "ilrs"
CE5 = CHECKPOINT_PREFIX + "ce5"
AS_OF = "2021-03-10"


def corpus() -> Recorder:
    """A program with a part, members, a retracted claim filed elsewhere and a restriction."""
    rec = Recorder()
    rec.add(EntityRegistered, "ilrs", "2021", kind="program", name_en="ILRS")
    rec.add(EntityRegistered, "russia", "2021", kind="country", name_en="Russia")
    rec.add(EntityRegistered, "ce5", "2021", kind="mission", name_en="Chang'e 5", part_of="ilrs")
    rec.add(AgreementSigned, "ilrs", "2021-03-09", agreement="mou", parties=("china", "russia"))
    rec.add(MemberJoined, "ilrs", "2021-03-09", member="russia", role="partner")
    wrong = rec.add(MemberJoined, "ilrs", "2021-01", member="belarus", role="partner")
    rec.add(MilestoneReached, "ce5", "2020-12", milestone="sample return", fact="ce5-return")
    rec.add(Retracted, "errata", "2021-03", target=wrong.id, reason="misread")
    rec.add(
        RestrictionEnacted,
        "wolf",
        "2011",
        restriction="wolf",
        restricted="nasa",
        counterparties="ilrs",
        fact="wolf",
    )
    return rec


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    """Where this test's checkpoint key lives (never the user's own)."""
    return tmp_path / "keys" / "checkpoint.key"


@pytest.fixture
def honest(store: EventStore, key_path: Path) -> ProgramState:
    """The ledger recorded, its checkpoints saved by the key holder; the honest answer."""
    store.append(corpus().events)
    service = Ledger(store, key_path=key_path)
    answer = service.state("ilrs", AS_OF)
    service.state("ce5", AS_OF)
    assert {n.rpartition("#")[0] for n in store.checkpoint_names()} == {
        ILRS,
        CE5,
        REACH_CHECKPOINT,
    }
    assert answer == Ledger(store, checkpoints=False).state("ilrs", AS_OF)
    return answer


# --- what the intruder can do: read and write the checkpoints table ------------------------


def stored_as(store: EventStore, name: str) -> str:
    """The row name of the user's checkpoint ``name`` (the key's public id is in the name)."""
    (found,) = [n for n in store.checkpoint_names() if n.rpartition("#")[0] == name]
    return found


def row(store: EventStore, name: str) -> dict[str, Any]:
    """The stored checkpoint row of the user's checkpoint ``name``."""
    with store.engine.connect() as conn:
        found = conn.execute(
            select(checkpoints).where(checkpoints.c.name == stored_as(store, name))
        ).one()
    return dict(found._mapping)


def write(store: EventStore, name: str, **values: Any) -> None:
    """Overwrite columns of the user's checkpoint row ``name``."""
    where = checkpoints.c.name == stored_as(store, name)
    with store.engine.begin() as conn:
        conn.execute(update(checkpoints).where(where).values(**values))


def remove(store: EventStore, name: str) -> None:
    """Delete the user's checkpoint ``name``."""
    where = checkpoints.c.name == stored_as(store, name)
    with store.engine.begin() as conn:
        conn.execute(delete(checkpoints).where(where))


def payload(blob: bytes) -> bytes:
    """The projection inside a stored checkpoint (the format is public; the key is not)."""
    return split(blob)[1] if blob.startswith(MAGIC) else blob


def rewrap(old: bytes, new_payload: bytes) -> bytes:
    """``new_payload`` in the envelope of ``old``, its seal kept (it cannot be recomputed)."""
    return old[: len(old) - len(payload(old))] + new_payload


def edit_document(store: EventStore, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Decode a checkpoint's JSON, change the value in it, and store it back in its old
    envelope."""
    blob = bytes(row(store, name)["state"])
    document = json.loads(payload(blob))
    change(document["value"])
    encoded = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    write(store, name, state=rewrap(blob, encoded))


def _rename_member(document: dict[str, Any]) -> None:
    for claim in document["claims"]:
        claim["payload"] = [[k, "france" if v == "russia" else v] for k, v in claim["payload"]]


def _add_member(document: dict[str, Any]) -> None:
    joined = next(c for c in document["claims"] if c["type"] == "MemberJoined")
    forged = dict(joined)
    forged["id"] = "00000000-0000-4000-8000-00000000f0f0"
    forged["payload"] = [["member", "france"], ["role", "partner"]]
    document["claims"].append(forged)


def _remove_claims(document: dict[str, Any]) -> None:
    document["claims"] = []
    document["answers"] = []


def _change_quotes(document: dict[str, Any]) -> None:
    for claim in document["claims"]:
        claim["quote"] = "a quote no source holds"


def _drop_answer(document: dict[str, Any]) -> None:
    document["answers"] = []


def edited(change: Callable[[dict[str, Any]], None]) -> Callable[[EventStore], str]:
    def attack(store: EventStore) -> str:
        edit_document(store, ILRS, change)
        return ILRS

    attack.__name__ = change.__name__.strip("_")
    return attack


def swapped_rows(store: EventStore) -> str:
    """ILRS's and Chang'e 5's checkpoints exchanged, the program inside made to agree."""
    ilrs, ce5 = row(store, ILRS), row(store, CE5)
    write(store, ILRS, state=ce5["state"], position=ce5["position"], head_hash=ce5["head_hash"])
    write(store, CE5, state=ilrs["state"], position=ilrs["position"], head_hash=ilrs["head_hash"])
    edit_document(store, ILRS, lambda d: d.update(program="ilrs", scope=["ce5", "ilrs"]))
    return ILRS


def moved_position(store: EventStore) -> str:
    """The table claimed to cover one event less, with that position's real hash."""
    point = row(store, ILRS)
    earlier = int(point["position"]) - 1
    write(store, ILRS, position=earlier, head_hash=store.hash_at(earlier))
    edit_document(store, ILRS, lambda d: d.update(position=earlier))
    edit_document(store, ILRS, _rename_member)
    return ILRS


def truncated(store: EventStore) -> str:
    """Half of the stored bytes."""
    blob = bytes(row(store, ILRS)["state"])
    write(store, ILRS, state=blob[: len(blob) // 2])
    return ILRS


def garbage(store: EventStore) -> str:
    """Random bytes."""
    write(store, ILRS, state=os.urandom(4096))
    return ILRS


def empty(store: EventStore) -> str:
    """No bytes at all."""
    write(store, ILRS, state=b"")
    return ILRS


def resigned_without_key(store: EventStore) -> str:
    """An edited table sealed again with a key of the intruder's own."""
    blob = bytes(row(store, ILRS)["state"])
    document = json.loads(payload(blob))
    _rename_member(document["value"])
    forged = json.dumps(document, separators=(",", ":")).encode()
    point = row(store, ILRS)
    seal = Seal(os.urandom(32)).seal(ILRS, int(point["position"]), point["head_hash"], forged)
    write(store, ILRS, state=seal)
    return ILRS


def unsealed(store: EventStore) -> str:
    """An edited table stored bare, as a checkpoint without a seal would be."""
    blob = bytes(row(store, ILRS)["state"])
    document = json.loads(payload(blob))
    _add_member(document["value"])
    write(store, ILRS, state=json.dumps(document, separators=(",", ":")).encode())
    return ILRS


def copied_under_another_name(store: EventStore) -> str:
    """Chang'e 5's genuine sealed checkpoint stored as ILRS's."""
    ce5 = row(store, CE5)
    write(store, ILRS, state=ce5["state"], position=ce5["position"], head_hash=ce5["head_hash"])
    return ILRS


def beyond_the_head(store: EventStore) -> str:
    """A checkpoint claiming a position the ledger has not reached."""
    point = row(store, ILRS)
    write(store, ILRS, position=int(point["position"]) + 5)
    return ILRS


def malformed_inside(store: EventStore) -> str:
    """JSON of the right format whose claims are not claims (a crafted blob)."""
    edit_document(store, ILRS, lambda d: d.update(claims=[[1, 2]], answers="x"))
    return ILRS


def reach_hides_part(store: EventStore) -> str:
    """The reach index forgets Chang'e 5 is part of ILRS; ILRS's table must be rebuilt."""
    remove(store, ILRS)
    edit_document(store, REACH_CHECKPOINT, lambda d: d.update(children={}))
    return REACH_CHECKPOINT


def reach_hides_answers(store: EventStore) -> str:
    """The reach index forgets every retraction and restriction."""
    remove(store, ILRS)
    edit_document(store, REACH_CHECKPOINT, lambda d: d.update(answers={}, restrictions=[]))
    return REACH_CHECKPOINT


ATTACKS = [
    edited(_rename_member),
    edited(_add_member),
    edited(_remove_claims),
    edited(_change_quotes),
    edited(_drop_answer),
    swapped_rows,
    moved_position,
    truncated,
    garbage,
    empty,
    resigned_without_key,
    unsealed,
    copied_under_another_name,
    beyond_the_head,
    malformed_inside,
    reach_hides_part,
    reach_hides_answers,
]


@pytest.mark.backend_sweep
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_verify_names_a_forged_checkpoint(
    store: EventStore, honest: ProgramState, key_path: Path, attack: Callable[[EventStore], str]
) -> None:
    """verify fails on a forged checkpoint and names it, then says what is wrong with it,
    though the chain itself is sound."""
    name = attack(store)
    result = Ledger(store, key_path=key_path).verify()
    assert not result.ok
    assert f"saved projection {name!r}: " in str(result)
    assert store.verify().ok  # the events themselves were never touched


@pytest.mark.backend_sweep
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_quick_verify_still_names_a_forged_checkpoint(
    store: EventStore, honest: ProgramState, key_path: Path, attack: Callable[[EventStore], str]
) -> None:
    """verify --quick refolds only a sample but checks every seal, so a forgery is named."""
    name = attack(store)
    result = Ledger(store, key_path=key_path).verify(quick=True)
    assert not result.ok
    assert name in str(result)


def test_quick_verify_vouches_for_an_honest_ledger(
    store: EventStore, honest: ProgramState, key_path: Path
) -> None:
    """On an untouched ledger verify --quick is ok, like the full verify."""
    service = Ledger(store, key_path=key_path)
    assert service.verify(quick=True).ok
    assert service.verify().ok


@pytest.mark.backend_sweep
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_a_forged_checkpoint_is_never_served(
    store: EventStore, honest: ProgramState, key_path: Path, attack: Callable[[EventStore], str]
) -> None:
    """A forged checkpoint is discarded with one warning; the answer comes from the events."""
    name = attack(store)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer = Ledger(store, key_path=key_path).state("ilrs", AS_OF)
    assert answer == honest
    found = [w.message for w in caught if isinstance(w.message, CheckpointWarning)]
    assert [w.name for w in found] == [name]
    assert len(str(found[0]).splitlines()) == 1


@pytest.mark.backend_sweep
@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
def test_a_forged_checkpoint_is_replaced_by_a_sound_one(
    store: EventStore, honest: ProgramState, key_path: Path, attack: Callable[[EventStore], str]
) -> None:
    """After the forgery was discarded, the saved checkpoints verify and warn no more."""
    attack(store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CheckpointWarning)
        Ledger(store, key_path=key_path).state("ilrs", AS_OF)
        Ledger(store, key_path=key_path).state("ce5", AS_OF)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        assert Ledger(store, key_path=key_path).state("ilrs", AS_OF) == honest
        assert Ledger(store, key_path=key_path).verify().ok


def test_a_checkpoint_from_another_ledger_is_not_served(
    store: EventStore, honest: ProgramState, key_path: Path, new_database: Any
) -> None:
    """A genuine checkpoint of another ledger sealed with the same key, copied in, is refused."""
    with new_database() as url:
        other = EventStore.open(url)
        try:
            rec = corpus()
            rec.events[4] = rec.add(MemberJoined, "ilrs", "2021-03-09", member="france")
            other.append(rec.events[:4] + rec.events[-1:] + rec.events[5:-1])
            Ledger(other, key_path=key_path).state("ilrs", AS_OF)
            stolen = row(other, ILRS)
        finally:
            other.close()
    write(store, ILRS, **{k: v for k, v in stolen.items() if k != "name"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert Ledger(store, key_path=key_path).state("ilrs", AS_OF) == honest
    assert [w.message.name for w in caught if isinstance(w.message, CheckpointWarning)] == [ILRS]


def test_an_older_genuine_checkpoint_brought_back_changes_no_answer(
    store: EventStore, key_path: Path
) -> None:
    """Rolling a checkpoint back to an earlier sound one is harmless: it is caught up."""
    rec = corpus()
    store.append(rec.events[:5])
    Ledger(store, key_path=key_path).state("ilrs", AS_OF)
    old = row(store, ILRS)
    store.append(rec.events[5:])
    honest = Ledger(store, key_path=key_path).state("ilrs", AS_OF)
    write(store, ILRS, **{k: v for k, v in old.items() if k != "name"})
    with warnings.catch_warnings():
        warnings.simplefilter("error", CheckpointWarning)
        assert Ledger(store, key_path=key_path).state("ilrs", AS_OF) == honest
        assert Ledger(store, key_path=key_path).verify().ok


def test_without_a_key_nothing_is_trusted_or_saved(store: EventStore, tmp_path: Path) -> None:
    """No key can be made (read-only home): answers come from the events, nothing is saved."""
    store.append(corpus().events)
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    service = Ledger(store, key_path=blocked / "checkpoint.key")
    assert service.state("ilrs", AS_OF) == Ledger(store, checkpoints=False).state("ilrs", AS_OF)
    assert store.checkpoint_names() == []


def test_the_key_file_is_private(tmp_path: Path) -> None:
    """The key is made on first use, readable by its owner only, and the same ever after."""
    from ledger.persistence.sealing import load_key

    path = tmp_path / "new" / "checkpoint.key"
    first = load_key(path)
    assert first is not None
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_key(path) == first


@pytest.mark.usefixtures("cli_env")
def test_the_command_line_answers_from_the_events_and_says_so_once(
    article_db: str, tmp_path: Path
) -> None:
    """On the article's ledger, Russia renamed France in the saved ILRS table: ``state``
    answers as the events say with one warning line, and ``verify`` fails naming the table."""
    import shutil

    from cli_run import run

    url = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    shutil.copy(article_db.removeprefix("sqlite:///"), tmp_path / "copy.sqlite")
    store = EventStore.open(url)
    with store.engine.begin() as conn:
        conn.execute(delete(checkpoints))  # other tests' keys saved theirs in the shared file
    store.close()
    code, honest, err = run("state", "ILRS", "--as-of", "2021-03-10", "--db", url)
    assert (code, err) == (0, "")
    assert run("verify", "--db", url)[0] == 0
    store = EventStore.open(url)
    try:
        blob = bytes(row(store, ILRS)["state"])
        write(store, ILRS, state=rewrap(blob, payload(blob).replace(b"Russia", b"France")))
    finally:
        store.close()
    code, out, _ = run("verify", "--db", url)
    assert code == 1
    assert ILRS in out
    code, out, err = run("state", "ILRS", "--as-of", "2021-03-10", "--db", url)
    assert (code, out) == (0, honest)
    assert err.startswith("ledger: warning: saved projection 'projection:ilrs' was not used")
    assert err.count("\n") == 1
    assert run("state", "ILRS", "--as-of", "2021-03-10", "--db", url)[1:] == (honest, "")
