"""Running the ``ledger`` command in-process for tests: exit code, stdout and stderr."""

from __future__ import annotations

import io

from ledger.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI with ``argv``; return its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
