"""A bulk import written by a second process while this one encodes the next chunk.

Encoding an event (checking it, building its row, its canonical bytes) and writing it (its
place in the chain, its hash, SQLite's insert, the commit) each take about half of an
import, and threads cannot share them: the insert holds the GIL while it binds each row,
so two threads mostly wait for each other. Two processes do not: this one reads the
caller's events and encodes them, the writer places, seals and inserts the chunk before.

Only a SQLite file, and only where ``fork`` starts a process (Linux): the writer opens its
own connection to the same file (a private in-memory database has no second connection),
and starts at once with the store's code and state, importing nothing. PostgreSQL's import
already runs at its ``COPY`` ceiling, its server being the second process.

The writer runs the store's own batch loop (:meth:`Appending._write_chunks`) over the chunks
it is sent, so the transactions, the checks and the errors are those of an import written
here. This process sends each chunk pickled, then :data:`_END`; :data:`_ABORT` when it stops
early (its own error, an interrupt), and the writer rolls back the batch it was writing.
The writer sends one reply when it stops: what it recorded, or the error it stopped on,
which concerns an earlier chunk than any error this process met since.

``LEDGER_IMPORT_WRITER=0`` in the environment keeps every import in one process, and so
does a process with other threads alive (a fork would copy none of them).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import mmap
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ledger.errors import StoreError
from ledger.persistence import canonical as c
from ledger.persistence.bulk import Chunk
from ledger.persistence.collector import gc_paused
from ledger.persistence.engine import create_ledger_engine
from ledger.persistence.mapper import Encoded, given_stamp
from ledger.persistence.urls import is_sqlite_file

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from ledger.persistence.appending import Appending

_PROTOCOL = pickle.HIGHEST_PROTOCOL
CHUNK = 1_000
"""Events a chunk sent to the writer holds (after the first): the writer's part of the last
chunk is all that is left to wait for once this process has sent it."""
SLOTS = 4
"""Chunks in shared memory at once: some being written while the next is encoded."""
SLOT_BYTES = 4 << 20
"""Room for one chunk's pickle (1,000 events of the benchmark's take about 0.3 MB, the
first chunk's 5,000 five times that); a larger one goes through the pipe."""

# Messages: to the writer, a chunk in a slot (tag, slot, length), a chunk in the message
# itself, the end, an abort; from it, a slot it has read and its one reply.
_IN_SLOT, _INLINE, _END, _ABORT = b"S", b"I", b"E", b"A"
_FREED, _REPLY = b"F", b"R"
_SLOT_NOTE = struct.Struct("<cBQ")


def available(store: Appending) -> bool:
    """Whether an import into ``store`` can be written by a second process."""
    if os.environ.get("LEDGER_IMPORT_WRITER", "1") == "0":
        return False
    engine = store.engine
    if engine.dialect.name != "sqlite" or not is_sqlite_file(engine.url):
        return False
    # A fork copies only the thread that calls it: a lock another thread held then (the
    # logging module's, a connection pool's) would stay held in the writer for ever. A
    # process with other threads alive (a notebook's kernel has some) imports in one.
    if threading.active_count() > 1:
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class _Stopped(BaseException):
    """The importing process stopped sending (its own error, or it went away)."""


class ImportWriter:
    """The second process of one bulk import, started when made."""

    def __init__(self, store: Appending) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._pipe, theirs = context.Pipe()
        # Anonymous and shared: after the fork both processes map the same pages, so a
        # chunk is copied once, where through a pipe each 200 KB waited for the writer.
        self._shared = mmap.mmap(-1, SLOTS * SLOT_BYTES)
        self._free = list(range(SLOTS))
        self._content = store._mapper.content
        self._early: tuple[Any, ...] | None = None
        self._gone = False
        self._process = context.Process(
            target=_serve,
            args=(store, theirs, self._shared),
            name="ledger import writer",
            daemon=True,
        )
        self._process.start()
        theirs.close()

    def write(self, first: Chunk, rest: Iterator[Chunk], clock: Callable[[], str]) -> int:
        """Send ``first`` and the chunks of ``rest``; returns how many events were recorded.

        ``clock`` gives the time for a chunk's events without one, read here as each chunk
        is encoded (an injected clock lives in this process).
        """
        try:
            with gc_paused():
                sent = self._send_all(itertools.chain([first], rest), clock)
        except BaseException:
            self._say(_ABORT)
            reply = self._reply()
            if reply[0] == "error":
                raise _rebuilt(reply) from None
            raise
        reply = self._reply()
        if reply[0] == "done":
            recorded: int = reply[1]
            return recorded
        if reply[0] == "error":
            raise _rebuilt(reply)
        # The writer stopped without an error only when told to: not after a complete send.
        raise StoreError(f"the import's writing process stopped unexpectedly after {sent} chunks")

    def _send_all(self, chunks: Iterator[Chunk], clock: Callable[[], str]) -> int:
        sent = 0
        for chunk in chunks:
            if not self._heard():
                return sent  # the writer stopped early: its reply says why
            encoded = chunk.unique.values()
            # The writer is behind (every slot taken): rather than wait, make the canonical
            # bytes here (with the events already in a list the writer is the slower side).
            contents = [self._content(enc.row) for enc in encoded] if not self._free else None
            # Encoded by to_row(whole=False): each event's own time goes as it was given.
            given = [enc.event.recorded_at if enc.event is not None else None for enc in encoded]
            now = clock() if None in given else None
            message = (
                [enc.row for enc in encoded],
                contents,
                [enc.subjects for enc in encoded],
                given,
                chunk.taken,
                chunk.ends_batch,
                chunk.last,
                now,
            )
            if not self._put(pickle.dumps(message, _PROTOCOL)):
                return sent
            sent += 1
        self._say(_END)
        return sent

    def _heard(self, wait: bool = False) -> bool:
        """Take in what the writer said (waiting for a word if ``wait``); False once it has
        sent its reply or gone."""
        while self._early is None and not self._gone and (wait or self._pipe.poll()):
            try:
                said = self._pipe.recv_bytes()
            except (EOFError, OSError):
                self._gone = True
                break
            if said[:1] == _FREED:
                self._free.append(said[1])
                wait = False
            else:
                self._early = pickle.loads(said[1:])
        return self._early is None and not self._gone

    def _put(self, data: bytes) -> bool:
        """Hand one chunk's pickle to the writer; False if it has stopped."""
        if len(data) > SLOT_BYTES:
            return self._say(_INLINE + data)
        while not self._free:
            if not self._heard(wait=True):
                return False
        slot = self._free.pop()
        start = slot * SLOT_BYTES
        self._shared[start : start + len(data)] = data
        return self._say(_SLOT_NOTE.pack(_IN_SLOT, slot, len(data)))

    def _say(self, data: bytes) -> bool:
        """Send to the writer; False if it has already gone (its reply says why)."""
        try:
            self._pipe.send_bytes(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True

    def _reply(self) -> tuple[Any, ...]:
        """The writer's one reply, once it has stopped."""
        try:
            while self._heard(wait=True):
                pass
        finally:
            self._pipe.close()
        self._process.join()
        self._shared.close()
        if self._early is None:
            raise StoreError(
                "the import's writing process ended without a word (exit code "
                f"{self._process.exitcode}); the batch it was writing was not recorded"
            )
        return self._early


def _serve(store: Appending, pipe: Connection, shared: mmap.mmap) -> None:
    """The writer: the store's batch loop over the chunks received, then one reply."""
    # Ctrl-C reaches the whole process group: the importing process decides, and says abort.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What this process makes (rows received, their places) is acyclic and short-lived:
    # the collector would only scan it, chunk after chunk.
    gc.disable()
    # The engine inherited holds the importing process's connections: SQLite forbids using
    # them after fork, closing them included. They stay referenced (never collected), and
    # multiprocessing ends this process with os._exit, which closes nothing.
    inherited = store.engine
    store.engine = create_ledger_engine(inherited.url)
    try:
        chunks = _received(pipe, shared, store._mapper.content)
        reply: tuple[Any, ...] = ("done", store._write_chunks(chunks))
    except _Stopped:
        reply = ("stopped",)
    except BaseException as e:  # every error goes back to the importer
        reply = _error_reply(e)
    finally:
        store.engine.dispose()
        store.engine = inherited
    try:
        data = pickle.dumps(reply, _PROTOCOL)
    except Exception:  # an error whose parts do not pickle: its words do
        words = f"{reply[1].__name__}: {reply[2][0] if reply[2] else ''}"
        data = pickle.dumps(_error_reply(StoreError(words)), _PROTOCOL)
    # If the importer went away, nobody is left to tell.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        pipe.send_bytes(_REPLY + data)


def _received(
    pipe: Connection, shared: mmap.mmap, content: Callable[[list[Any]], bytes]
) -> Iterator[Chunk]:
    """The chunks the importing process sends, as it sends them, their canonical bytes
    (``content``) and recorded times' texts made here."""
    while True:
        try:
            said = pipe.recv_bytes()
        except EOFError:
            raise _Stopped from None  # the importing process went away
        tag = said[:1]
        if tag == _END:
            return
        if tag == _ABORT:
            raise _Stopped
        if tag == _IN_SLOT:
            _, slot, length = _SLOT_NOTE.unpack(said)
            start = slot * SLOT_BYTES
            with memoryview(shared)[start : start + length] as view:
                message = pickle.loads(view)
            pipe.send_bytes(_FREED + bytes((slot,)))
        else:
            message = pickle.loads(memoryview(said)[1:])
        rows, contents, subjects, given, taken, ends_batch, last, now = message
        made = [content(row) for row in rows] if contents is None else contents
        unique = {
            row[c.ID]: Encoded(
                None, row, data, others, None if at is None else given_stamp(row[c.ID], at)
            )
            for row, data, others, at in zip(rows, made, subjects, given, strict=True)
        }
        yield Chunk(unique, taken, ends_batch, last, now)


def _error_reply(error: BaseException) -> tuple[Any, ...]:
    # An error pickles as its class called with its args, which is not how every ledger
    # error is made (DuplicateEventError formats its id): its parts are sent instead.
    return ("error", type(error), error.args, dict(vars(error)))


def _rebuilt(reply: tuple[Any, ...]) -> BaseException:
    """The writer's error, made again here with its message and attributes."""
    _, cls, args, attributes = reply
    error: BaseException = cls.__new__(cls, *args)
    error.args = args
    for name, value in attributes.items():
        setattr(error, name, value)
    return error


__all__ = ["ImportWriter", "available"]
