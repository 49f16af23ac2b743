"""``python -m ledger``: the same command as ``ledger``."""

from ledger.cli import run

if __name__ == "__main__":
    run()
