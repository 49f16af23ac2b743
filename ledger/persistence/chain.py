"""The values the hash chain publishes: a digest of the head and the result of a verification."""

from __future__ import annotations

import re

import attrs

from ledger.errors import IntegrityError, InvalidDigestError

_DIGEST = re.compile(r"([0-9]{1,18}):([0-9a-fA-F]{64})")


@attrs.frozen
class Digest:
    """A position in the chain and the hash of the event there: what a historian publishes.

    Its text form is ``"<position>:<hex>"``; a ledger that still holds that hash at that
    position provably extends what was published. Position 0 is the empty ledger.
    """

    position: int
    hash: str

    def __str__(self) -> str:
        return f"{self.position}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Digest:
        """Read ``"<position>:<hex>"``; InvalidDigestError says what is wrong."""
        match = _DIGEST.fullmatch(text.strip())
        if match is None:
            raise InvalidDigestError(text, "not a position and a SHA-256 hash")
        return cls(int(match.group(1)), match.group(2).lower())


@attrs.frozen
class VerifyResult:
    """What a walk of the chain found: how many events checked, and the first bad position."""

    ok: bool
    checked: int
    head: Digest
    """The digest of the last event read (the ledger's head when ``ok``)."""
    first_bad: int | None = None
    reason: str = ""
    derived: str = ""
    """What was found of the saved projections (``Ledger.verify``), said after the chain."""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.ok:
            line = f"ok: {self.checked} events verified, head {self.head}"
            return f"{line}; {self.derived}" if self.derived else line
        if self.first_bad is None:
            return f"FAILED: {self.reason}"
        return f"FAILED at position {self.first_bad}: {self.reason}"

    def raise_if_bad(self) -> VerifyResult:
        """Raise IntegrityError when the chain failed to verify; return self otherwise."""
        if not self.ok:
            raise IntegrityError(self.first_bad, self.reason)
        return self
