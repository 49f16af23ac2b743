"""A bulk import written by a second process while this one encodes the next chunk.

Encoding an event (checking it, building its row, its canonical bytes) and writing it (its
place in the chain, its hash, SQLite's insert, the commit) each take about half of an
import, and threads cannot share them: the insert holds the GIL while it binds each row,
so two threads mostly wait for each other. Two processes do not: this one reads the
caller's events and encodes them, the writer places, seals and inserts the chunk before.

A SQLite file or PostgreSQL (the writer opens its own connection; a private in-memory
database has no second one), on a POSIX system. On PostgreSQL the server is a third
process: while it takes one chunk's ``COPY``, the writer seals the next and this process
maps the one after (3x10^5 events: 35k events/s in one process, 69-72k/s so). The writer is
a new interpreter (:data:`_BOOT`), not a fork: a fork's pages are this process's heap, which
becomes the writer's own copy as this one goes on writing to it (a caller's catalogue of
100 MB, say), and a fork copies none of the other threads a lock may belong to. Its start
(about a quarter of a second: SQLAlchemy and the store's modules) is hidden by the chunks
this process keeps encoding meanwhile (:data:`PENDING`); an import that ends before the
writer is ready is written here.

The writer runs the store's own batch loop (:meth:`Appending._write_chunks`) over the chunks
it is sent, so the transactions, the checks and the errors are those of an import written
here. This process sends each chunk pickled, then :data:`_END`; :data:`_ABORT` when it stops
early (its own error, an interrupt), and the writer rolls back the batch it was writing.
The writer sends one reply when it stops: what it recorded, or the error it stopped on,
which concerns an earlier chunk than any error this process met since.

``LEDGER_IMPORT_WRITER=0`` in the environment keeps every import in one process.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import json
import mmap
import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ledger.errors import StoreError
from ledger.persistence import canonical as c
from ledger.persistence.bulk import Chunk
from ledger.persistence.collector import gc_paused
from ledger.persistence.mapper import Encoded, Mapper, given_stamp
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
"""Room for one chunk's pickle (1,000 events of the benchmark's take about 0.3 MB, twice that
with their canonical bytes); a larger one goes through the pipe."""
PENDING = 64
"""Chunks kept here, pickled, while the writer starts or every slot is taken, before this
process waits: about 40 MB of the benchmark's, more than the writer's start lasts."""
WRITER_CACHE_KIB = 8 << 10
"""The writer's SQLite page cache: its inserts go to the end of the log and of the
(stream, sequence) index, and the event-id index's pages are read back from the system's
file cache; 8 MiB writes as fast here as the 64 MiB a reader keeps."""

# The writer's first words: this process's module path, so that it runs the same code. What
# it is told comes on its standard input, not its command line, which anyone may read (a
# PostgreSQL URL may hold a password).
_BOOT = (
    "import json, sys; a = json.load(sys.stdin); sys.path[:] = a['path']; "
    "from ledger.persistence.offload import serve; serve(a)"
)

# Messages: to the writer, a chunk in a slot (tag, slot, length), a chunk in the message
# itself, the end, an abort; from it, that it is ready, a slot it has read, its one reply.
_IN_SLOT, _INLINE, _END, _ABORT = b"S", b"I", b"E", b"A"
_FREED, _READY, _REPLY = b"F", b"G", b"R"
_SLOT_NOTE = struct.Struct("<cBQ")


def available(store: Appending) -> bool:
    """Whether an import into ``store`` can be written by a second process."""
    if os.environ.get("LEDGER_IMPORT_WRITER", "1") == "0":
        return False
    engine = store.engine
    if engine.dialect.name == "sqlite" and not is_sqlite_file(engine.url):
        return False  # a private in-memory database has no second connection
    if engine.dialect.name not in ("sqlite", "postgresql"):
        return False
    # The writer seals with the plain mapper: a subclass's own sealing stays here.
    if type(store._mapper) is not Mapper:
        return False
    # Handing a pipe and shared memory to a new interpreter (pass_fds) is POSIX's.
    return os.name == "posix" and bool(sys.executable)


class _Stopped(BaseException):
    """The importing process stopped sending (its own error, or it went away)."""


def _shared_memory(size: int) -> tuple[int, mmap.mmap]:
    """A file descriptor of ``size`` bytes of memory and its mapping here."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("ledger-import", 0)
    else:  # an unlinked temporary file: the system's file cache holds its pages
        fd, name = tempfile.mkstemp(prefix="ledger-import-")
        os.unlink(name)
    try:
        os.ftruncate(fd, size)
        return fd, mmap.mmap(fd, size)
    except BaseException:
        os.close(fd)
        raise


class ImportWriter:
    """The second process of one bulk import, started when made."""

    def __init__(self, store: Appending) -> None:
        from multiprocessing import Pipe

        self._store = store
        self._slot_bytes = SLOT_BYTES
        self._pipe, theirs = Pipe()
        # Both processes map the same pages: a chunk is copied in once and read in place,
        # where through a pipe each 200 KB waited for the writer to read it.
        fd, self._shared = _shared_memory(SLOTS * SLOT_BYTES)
        self._free = list(range(SLOTS))
        self._pending: collections.deque[bytes] = collections.deque()
        self._content = store._mapper.content
        self._ready = False
        self._handed = 0
        self._early: tuple[Any, ...] | None = None
        self._gone = False
        told = {
            "path": sys.path,
            "url": store.engine.url.render_as_string(hide_password=False),
            "pipe": theirs.fileno(),
            "shared": fd,
            "slots": SLOTS,
            "slot_bytes": SLOT_BYTES,
        }
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _BOOT], stdin=subprocess.PIPE, pass_fds=(theirs.fileno(), fd)
            )
            assert self._process.stdin is not None
            # A writer that ended at once (it could not start) says so by never being ready.
            with contextlib.suppress(BrokenPipeError), self._process.stdin as words:
                words.write(json.dumps(told).encode())
        except BaseException:
            self._pipe.close()
            self._shared.close()
            raise
        finally:
            theirs.close()
            os.close(fd)

    @property
    def pid(self) -> int:
        """The writing process's id."""
        return self._process.pid

    def write(self, first: Chunk, rest: Iterator[Chunk], clock: Callable[[], str]) -> int:
        """Send ``first`` and the chunks of ``rest``; returns how many events were recorded.

        ``clock`` gives the time for a chunk's events without one, read here as each chunk
        is encoded (an injected clock lives in this process). Until the writer is ready the
        chunks wait here; an import that ends before (or a writer that could not start) is
        written by this process, as if it had never had a writer.
        """
        chunks = itertools.chain([first], rest)
        try:
            with gc_paused():
                self._send_all(chunks, clock)
                if not self._handed:
                    # Ended before the writer was ready, the import is small: its indexes
                    # stay up (see OFFLOAD_MIN_CHUNK). A writer that could not start leaves
                    # a large one, which defers them.
                    large = self._early is not None or self._gone
                    self._dismiss()
                    return self._store._write_chunks(self._kept(chunks), defer=large)
        except BaseException as error:
            if not self._handed:
                self._dismiss()
                if isinstance(error, Exception):
                    # As in an import written here: the batches before the error are
                    # recorded, the error is raised inside its own batch's transaction.
                    self._store._write_chunks(self._kept(_raising(error)))
                raise
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
        raise StoreError(
            f"the import's writing process stopped unexpectedly after {self._handed} chunks"
        )

    def _send_all(self, chunks: Iterator[Chunk], clock: Callable[[], str]) -> None:
        """Pickle and hand over every chunk, then :data:`_END`; stops early when the writer
        has stopped, and before the end if it is not ready yet (nothing handed over)."""
        for chunk in chunks:
            encoded = chunk.unique.values()
            # The writer is behind or starting (every slot taken, or none usable yet):
            # rather than wait, make the canonical bytes here (first chunk: already made).
            contents: list[bytes] | None = None
            if not (self._free and self._ready):
                contents = [enc.content or self._content(enc.row) for enc in encoded]
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
            self._pending.append(pickle.dumps(message, _PROTOCOL))
            if not self._hand_over(keep=PENDING):
                return  # the writer stopped early: its reply says why
        if self._ready and self._hand_over(keep=0):
            self._say(_END)

    def _heard(self, wait: bool = False) -> bool:
        """Take in what the writer said (waiting for a word if ``wait``); False once it has
        sent its reply or gone."""
        while self._early is None and not self._gone and (wait or self._pipe.poll()):
            try:
                said = self._pipe.recv_bytes()
            except (EOFError, OSError):
                self._gone = True
                break
            tag = said[:1]
            if tag == _FREED:
                self._free.append(said[1])
            elif tag == _READY:
                self._ready = True
            else:
                self._early = pickle.loads(said[1:])
            wait = False
        return self._early is None and not self._gone

    def _hand_over(self, keep: int) -> bool:
        """Give the writer the pending chunks, in order, until at most ``keep`` are left
        here (waiting for it to be ready, then for free slots, as needed); False if it has
        stopped."""
        pending = self._pending
        if not self._heard():
            return False
        while pending:
            data = pending[0]
            if not self._ready:
                sent = False
            elif len(data) > self._slot_bytes:
                sent = self._say(_INLINE + data)
            elif self._free:
                slot = self._free.pop()
                start = slot * self._slot_bytes
                self._shared[start : start + len(data)] = data
                sent = self._say(_SLOT_NOTE.pack(_IN_SLOT, slot, len(data)))
            else:
                sent = False
            if sent:
                pending.popleft()
                self._handed += 1
            elif len(pending) <= keep:
                return True  # the rest waits here
            elif not self._heard(wait=True):
                return False
        return True

    def _kept(self, chunks: Iterator[Chunk]) -> Iterator[Chunk]:
        """The chunks not handed over, the pending ones first, made whole for this process
        to write them."""
        content = self._content
        while self._pending:
            yield _chunk_of(pickle.loads(self._pending.popleft()), content)
        for chunk in chunks:
            whole = {
                key: enc
                if enc.content
                else Encoded(
                    enc.event,
                    enc.row,
                    content(enc.row),
                    enc.subjects,
                    None
                    if enc.event is None or enc.event.recorded_at is None
                    else given_stamp(key, enc.event.recorded_at),
                )
                for key, enc in chunk.unique.items()
            }
            yield Chunk(whole, chunk.taken, chunk.ends_batch, chunk.last, chunk.now)

    def _dismiss(self) -> None:
        """Stop a writer that was given nothing: it has not begun a transaction."""
        self._pipe.close()
        self._process.kill()
        self._process.wait()
        self._shared.close()

    def _say(self, data: bytes) -> bool:
        """Send to the writer; False if it has already gone (its reply says why)."""
        try:
            self._pipe.send_bytes(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True

    def _reply(self) -> tuple[Any, ...]:
        """The writer's one reply, once it has stopped."""
        self._pending.clear()
        try:
            while self._heard(wait=True):
                pass
        finally:
            self._pipe.close()
        code = self._process.wait()
        self._shared.close()
        if self._early is None:
            ended = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            raise StoreError(
                f"the import's writing process ended without a word ({ended}); "
                "the batch it was writing was not recorded"
            )
        return self._early


def _raising(error: BaseException) -> Iterator[Chunk]:
    """No chunk: ``error``, where the next chunk would have been read."""
    raise error
    yield  # a generator, so that the error comes when it is read


def serve(told: dict[str, Any]) -> None:
    """The writer's whole life (see :data:`_BOOT`): the store's batch loop over the chunks
    received, then one reply, then the end of the process."""
    # Ctrl-C reaches the whole process group: the importing process decides, and says abort.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What this process makes (rows received, their places) is acyclic and short-lived:
    # the collector would only scan it, chunk after chunk.
    gc.disable()
    from multiprocessing.connection import Connection

    pipe = Connection(told["pipe"])
    slots, slot_bytes = told["slots"], told["slot_bytes"]
    shared = mmap.mmap(told["shared"], slots * slot_bytes)
    os.close(told["shared"])
    try:
        from sqlalchemy import make_url

        from ledger.persistence.engine import create_ledger_engine
        from ledger.persistence.store import EventStore

        engine = create_ledger_engine(make_url(told["url"]), cache_kib=WRITER_CACHE_KIB)
        store = EventStore(engine)
        try:
            pipe.send_bytes(_READY)
            chunks = _received(pipe, shared, slot_bytes, store._mapper.content)
            reply: tuple[Any, ...] = ("done", store._write_chunks(chunks))
        finally:
            engine.dispose()
    except _Stopped:
        reply = ("stopped",)
    except BaseException as e:  # every error goes back to the importer
        reply = _error_reply(e)
    try:
        data = pickle.dumps(reply, _PROTOCOL)
    except Exception:  # an error whose parts do not pickle: its words do
        words = f"{reply[1].__name__}: {reply[2][0] if reply[2] else ''}"
        data = pickle.dumps(_error_reply(StoreError(words)), _PROTOCOL)
    # If the importer went away, nobody is left to tell.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        pipe.send_bytes(_REPLY + data)
    # The connections are closed and nothing is left to flush: tearing the interpreter down
    # would only keep the importer waiting.
    sys.stderr.flush()
    os._exit(0)


def _received(
    pipe: Connection, shared: mmap.mmap, slot_bytes: int, content: Callable[[list[Any]], bytes]
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
            start = slot * slot_bytes
            with memoryview(shared)[start : start + length] as view:
                message = pickle.loads(view)
            pipe.send_bytes(_FREED + bytes((slot,)))
        else:
            message = pickle.loads(memoryview(said)[1:])
        yield _chunk_of(message, content)


def _chunk_of(message: tuple[Any, ...], content: Callable[[list[Any]], bytes]) -> Chunk:
    """A chunk as it was sent, its canonical bytes (``content``) and recorded times' texts
    made where they were not sent."""
    rows, contents, subjects, given, taken, ends_batch, last, now = message
    made = [content(row) for row in rows] if contents is None else contents
    unique = {
        row[c.ID]: Encoded(
            None, row, data, others, None if at is None else given_stamp(row[c.ID], at)
        )
        for row, data, others, at in zip(rows, made, subjects, given, strict=True)
    }
    return Chunk(unique, taken, ends_batch, last, now)


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


__all__ = ["ImportWriter", "available", "serve"]
