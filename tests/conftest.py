"""Shared fixtures: one ledger database per test, on SQLite in memory, SQLite on disk, PostgreSQL.

PostgreSQL runs use the server named by ``LEDGER_TEST_POSTGRES_URL`` (default: the local
``test`` database as ``root``); each test gets its own schema, dropped afterwards. When the
server is unreachable those runs are skipped, unless ``LEDGER_REQUIRE_POSTGRES=1`` (CI), in
which case they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import OperationalError
from tamper import drop_immutability

from ledger.application.ledger import Ledger
from ledger.persistence.checkpoints import SealedCheckpoints
from ledger.persistence.sealing import load_key, split
from ledger.persistence.store import EventStore

# CI runs Hypothesis derandomised (HYPOTHESIS_PROFILE=ci, set by .ci/run): every run draws
# the same examples, so a red run is red again when rerun, and the failing example is printed
# with the blob that reproduces it. Locally the default profile keeps searching anew.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"
BACKENDS = [
    "sqlite-memory",
    "sqlite-file",
    pytest.param("postgresql", marks=pytest.mark.postgres),
]

_postgres_problem: list[str] = []


def postgres_admin_url() -> URL:
    """The PostgreSQL server the tests use, from ``LEDGER_TEST_POSTGRES_URL``."""
    url = make_url(os.environ.get("LEDGER_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _postgres_unreachable() -> str | None:
    """Why the test server cannot be used (checked once per session), or None."""
    if not _postgres_problem:
        engine = create_engine(postgres_admin_url(), connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            _postgres_problem.append("")
        except OperationalError as e:
            _postgres_problem.append(str(e.orig).strip().splitlines()[0])
        finally:
            engine.dispose()
    return _postgres_problem[0] or None


@contextmanager
def postgres_schema() -> Iterator[URL]:
    """A URL whose search_path is a fresh schema of the test server, dropped afterwards."""
    problem = _postgres_unreachable()
    if problem is not None:
        message = (
            f"PostgreSQL at {postgres_admin_url().render_as_string(hide_password=True)} is "
            f"unreachable ({problem}); start PostgreSQL or set LEDGER_TEST_POSTGRES_URL to run "
            "these tests"
        )
        if os.environ.get("LEDGER_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (LEDGER_REQUIRE_POSTGRES=1 requires them)")
        pytest.skip(message)
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_admin_url().update_query_dict({"options": f"-csearch_path={schema}"})
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


_admin: list[Engine] = []


def _admin_engine() -> Engine:
    """One pooled administrative connection for the session: a new engine per test spent
    more on connecting than many tests spend on their own work."""
    if not _admin:
        _admin.append(create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT"))
    return _admin[0]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Sweeps keep a sample in the quick run (``-m "not slow"``) and every case in the full
    run (CI). Runs before ``-m`` selects by marker.

    - ``backend_sweep``: many cases of one behaviour, each on every backend. The quick run
      takes the cases on SQLite in memory: a fresh database per case costs more than the
      case, and the contract suite already puts each backend through its paces once.
    - ``sweep``: many inputs through one path (formats, widths, hostile files). The quick run
      takes the first case of the sweep (for each backend, if it has several).
    """
    first: set[tuple[str, str]] = set()
    for item in items:
        backend = _backend_of(item)
        if item.get_closest_marker("backend_sweep") and backend not in (None, "sqlite-memory"):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("sweep"):
            key = (item.nodeid.split("[")[0], backend or "")
            if key in first:
                item.add_marker(pytest.mark.slow)
            first.add(key)


def _backend_of(item: pytest.Item) -> str | None:
    """The backend a parametrized case runs on, if it takes one."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    backend = callspec.params.get("backend")
    return backend if isinstance(backend, str) else None


@pytest.fixture(scope="session", autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's data directory (default ledger, checkpoint key) moved to a temporary one,
    so no test reads or writes the real user's files."""
    home = tmp_path_factory.mktemp("data-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(home))
        yield home


def seal_and_save(store: EventStore, name: str, position: int, payload: bytes) -> None:
    """Save a checkpoint as the key holder would (the default key: the tests' own)."""
    seal = load_key()
    assert seal is not None
    SealedCheckpoints(store, seal).save(name, position, payload)


def saved_payload(store: EventStore, name: str) -> bytes | None:
    """The payload of the default key's checkpoint called ``name`` (seal stripped, unchecked)."""
    point = store.load_checkpoint(SealedCheckpoints(store, load_key()).stored_name(name))
    return None if point is None else split(point.state)[1]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: the contract suite runs once on each."""
    name: str = request.param
    return name


DatabaseFactory = Callable[[], AbstractContextManager[URL]]


@pytest.fixture
def new_database(backend: str, tmp_path: Path) -> DatabaseFactory:
    """Make fresh empty databases on the backend under test (a context manager per call)."""
    counter = iter(range(1_000_000))

    @contextmanager
    def make() -> Iterator[URL]:
        if backend == "sqlite-memory":
            yield make_url("sqlite:///:memory:")
        elif backend == "sqlite-file":
            yield make_url(f"sqlite:///{tmp_path / f'ledger-{next(counter)}.sqlite'}")
        else:
            with postgres_schema() as url:
                yield url

    return make


@pytest.fixture
def db_url(new_database: DatabaseFactory) -> Iterator[URL]:
    """The URL of one empty database on the backend under test."""
    with new_database() as url:
        yield url


class FakeClock:
    """A clock for tests: starts at a fixed UTC instant, moves one second per reading."""

    def __init__(self, start: datetime = datetime(2021, 3, 10, 12, 0, tzinfo=UTC)) -> None:
        self.now = start
        self.step = timedelta(seconds=1)

    def __call__(self) -> datetime:
        current = self.now
        self.now = current + self.step
        return current


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock to inject into stores, so recorded times are known in advance."""
    return FakeClock()


@pytest.fixture
def store(db_url: URL, clock: FakeClock) -> Iterator[EventStore]:
    """An opened, empty event store on the backend under test."""
    opened = EventStore.open(db_url, clock=clock)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def unlocked(store: EventStore) -> EventStore:
    """The store with its immutability triggers dropped: raw SQL can now tamper with it."""
    drop_immutability(store)
    return store


@pytest.fixture
def ledger(store: EventStore) -> Ledger:
    """An opened, empty ``Ledger`` on the backend under test (closed with its store)."""
    return Ledger(store)


@pytest.fixture(scope="session")
def article_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """URL of a SQLite ledger holding the article's corpus, imported once per session."""
    import ledger
    import ledger.corpus

    url = f"sqlite:///{tmp_path_factory.mktemp('article') / 'article.sqlite'}"
    with ledger.open(url) as opened:
        ledger.corpus.import_corpus(opened, ledger.corpus.default_corpus_path())
    return url


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point the user's data directory and database variable away from any real ledger."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("LEDGER_DATABASE_URL", raising=False)
