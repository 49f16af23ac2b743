"""The corpus of fixtures/README.md ("A corpus of your own") loads as written, alone and
beside the article's."""

from __future__ import annotations

import re
from pathlib import Path

import ledger
from ledger.corpus import default_corpus_path, import_corpus, load_corpus

README = Path(__file__).resolve().parents[2] / "fixtures" / "README.md"
TEXT = "NASA and its partners watched as Soyuz 19 lifted off from Baikonur on 15 July 1975.\n"


def write_readme_corpus(root: Path) -> Path:
    """Write each YAML block of the README's own-corpus section to the file its first line
    names, and a seed text holding the quotes; returns the corpus folder."""
    section = README.read_text(encoding="utf-8").split("## A corpus of your own")[1]
    section = section.split("\n## ")[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 4
    for block in blocks:
        first = block.splitlines()[0]
        name = re.match(r"# (\S+)", first)
        assert name is not None
        path = root / name.group(1).rstrip(":")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block, encoding="utf-8")
    (root / "seeds" / "astp.txt").write_text(TEXT, encoding="utf-8")
    return root


def test_the_readme_corpus_loads(tmp_path: Path) -> None:
    """The documented example is a valid corpus."""
    corpus = load_corpus(write_readme_corpus(tmp_path))
    assert corpus.counts()["claims"] == 2


def test_the_readme_corpus_imports_beside_the_article(tmp_path: Path) -> None:
    """Its nasa merges with the article's: the Russian name and the QID find it."""
    root = write_readme_corpus(tmp_path / "corpus")
    with ledger.open(f"sqlite:///{tmp_path / 'l.sqlite'}") as opened:
        import_corpus(opened, default_corpus_path())
        result = import_corpus(opened, root)
        assert result.total_new > 0
        assert opened.resolve("НАСА") == opened.resolve("Q23548") == "nasa"
        assert opened.verify().ok
