"""Saved projections sealed with a key kept outside the database.

A checkpoint is derived data stored next to the chain but not on it: anyone who can write the
database could edit it, and answers would then come from the forgery. Each checkpoint is
therefore sealed: an HMAC-SHA256, keyed by a secret in the user's own data directory, over
the checkpoint's name, the chain position and head hash it was folded up to, and its bytes.
Someone who can write the database but not the user's files cannot make a seal that opens;
a checkpoint moved to another name or position, or left behind by a rewritten chain, does not
open either. Without a readable key (a read-only home, another user) nothing is sealed or
trusted: projections are folded from the events.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

import attrs
import platformdirs

from ledger.errors import LedgerError

MAGIC = b"ledger-sealed-checkpoint/1\n"
"""The start of every sealed checkpoint; the seal (32 bytes) and the payload follow."""

KEY_FILENAME = "checkpoint.key"
_KEY_BYTES = 32
_SEAL_BYTES = hashlib.sha256().digest_size


def default_key_path() -> Path:
    """The key file in the user's data directory (beside the default ledger)."""
    return Path(platformdirs.user_data_dir("ledger")) / KEY_FILENAME


class BrokenSeal(LedgerError, ValueError):
    """A sealed checkpoint that does not open; the message says why (caught by the ledger)."""


def _message(name: str, position: int, head_hash: str, payload: bytes) -> bytes:
    # Length-prefixed fields: no two different (name, position, hash) give the same bytes.
    parts = [name.encode("utf-8", "surrogatepass"), str(position).encode(), head_hash.encode()]
    framed = b"".join(len(p).to_bytes(4, "big") + p for p in parts)
    return MAGIC + framed + hashlib.sha256(payload).digest()


@attrs.frozen(repr=False)
class Seal:
    """Seals and opens checkpoints with one secret key."""

    key: bytes

    def __repr__(self) -> str:
        return f"<Seal {self.key_id}>"  # never the key

    @property
    def key_id(self) -> str:
        """A short public name of the key (it reveals nothing of the key itself).

        Checkpoints are saved under it: users sharing one database each keep their own, and
        never take another's for a forgery.
        """
        return hmac.digest(self.key, b"ledger checkpoint key id", "sha256")[:6].hex()

    def seal(self, name: str, position: int, head_hash: str, payload: bytes) -> bytes:
        """``payload`` with its seal, bound to ``name``, ``position`` and ``head_hash``."""
        mac = hmac.digest(self.key, _message(name, position, head_hash, payload), "sha256")
        return MAGIC + mac + payload

    def open(self, name: str, position: int, head_hash: str, sealed: bytes) -> bytes:
        """The payload of a sealed checkpoint; BrokenSeal when it was not sealed so here."""
        mac, payload = split(sealed)
        expected = hmac.digest(self.key, _message(name, position, head_hash, payload), "sha256")
        if not hmac.compare_digest(mac, expected):
            raise BrokenSeal(
                "its seal does not match (edited, moved, or written without this user's key)"
            )
        return payload


def split(sealed: bytes) -> tuple[bytes, bytes]:
    """The seal and the payload of a sealed checkpoint (unchecked); BrokenSeal if unsealed."""
    if not sealed.startswith(MAGIC) or len(sealed) < len(MAGIC) + _SEAL_BYTES:
        raise BrokenSeal("it carries no seal")
    start = len(MAGIC)
    return sealed[start : start + _SEAL_BYTES], sealed[start + _SEAL_BYTES :]


def load_key(path: Path | None = None, *, create: bool = True) -> Seal | None:
    """The seal of the key at ``path`` (default: :func:`default_key_path`), made on first use.

    A new key is written with mode 0600 and published by a hard link, so two processes
    starting at once end with the same key. None when the key can be neither read nor made
    (a read-only file system, another user's directory): the caller then trusts no
    checkpoint and saves none.
    """
    path = default_key_path() if path is None else path
    found = _read(path)
    if found is not None or not create:
        return found
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(_KEY_BYTES).hex().encode() + b"\n")
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)  # loses to a key made meanwhile: that one is kept
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except (OSError, ValueError):
        return None
    return _read(path)


def _read(path: Path) -> Seal | None:
    try:
        text = path.read_bytes().strip()
        key = bytes.fromhex(text.decode("ascii"))
    except (OSError, ValueError):
        return None
    return Seal(key) if len(key) == _KEY_BYTES else None


__all__ = ["MAGIC", "BrokenSeal", "Seal", "default_key_path", "load_key", "split"]
