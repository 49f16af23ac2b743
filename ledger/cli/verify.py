"""``ledger verify`` and ``ledger digest``: prove the recorded events are as they were."""

from __future__ import annotations

import argparse
from typing import TextIO

from ledger.cli.database import open_ledger
from ledger.cli.output import Subcommands
from ledger.persistence.chain import Digest

VERIFY_EPILOG = """Example:
  ledger verify
  ledger verify --against "$(ledger digest)"
  ledger verify --quick
  ledger verify --db sqlite:///ilrs.sqlite"""

DIGEST_EPILOG = """Example:
  ledger digest
  ledger digest --db sqlite:///ilrs.sqlite > published-digest.txt"""


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Add the ``verify`` and ``digest`` commands."""
    verify = sub.add_parser(
        "verify",
        parents=[common],
        help="check the hash chain: no recorded event was changed, removed or reordered",
        description="Walk the ledger's SHA-256 chain from the first event, recompute every "
        "hash from the stored values and report the first position that fails. With "
        "--against, also check that the ledger still extends a digest published earlier. "
        "Exit code 0 when it verifies, 1 when it does not.",
        epilog=VERIFY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument(
        "--against",
        metavar="DIGEST",
        default=None,
        help="a digest printed earlier by 'ledger digest' (<position>:<sha256 hex>)",
    )
    verify.add_argument(
        "--quick",
        action="store_true",
        help="refold only a sample of the saved program tables (every seal is still checked)",
    )
    verify.set_defaults(handler=handle_verify)
    digest = sub.add_parser(
        "digest",
        parents=[common],
        help="print the head of the hash chain, to publish or keep",
        description="Print '<position>:<sha256 hex>' of the newest event. Anyone holding it can "
        "later prove with 'ledger verify --against' that the ledger still contains, unchanged, "
        "every event up to that position.",
        epilog=DIGEST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    digest.set_defaults(handler=handle_digest)


def handle_verify(args: argparse.Namespace, out: TextIO) -> int:
    """Verify the chain; print the outcome; 0 when it verifies, 1 when it does not."""
    against = Digest.parse(args.against) if args.against is not None else None
    with open_ledger(args) as opened:
        result = opened.verify(against, quick=args.quick)
    print(result, file=out)
    return 0 if result.ok else 1


def handle_digest(args: argparse.Namespace, out: TextIO) -> int:
    """Print the digest of the chain's head."""
    with open_ledger(args) as opened:
        print(opened.digest(), file=out)
    return 0
