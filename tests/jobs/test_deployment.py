"""What a deployment relies on: the lock files pin every dependency pyproject.toml declares, within
its range and with hashes; an installed app (not an editable checkout) migrates from any folder, on
SQLite and PostgreSQL; and `migrate --wait` waits for a database that is not up yet."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from sqlalchemy.engine import make_url

from app.db.engine import build_engine
from app.db.migrate import head_revision
from tests.faults.proxy import CuttableProxy
from tests.helpers import ROOT, PostgresServer

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, tuple[Version, int]]:
    """package → (pinned version, how many hashes) in a pip-tools lock file."""
    found: dict[str, tuple[Version, int]] = {}
    name = None
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match.group(1))
            found[name] = (Version(match.group(2)), 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
    return found


@pytest.mark.parametrize(
    ("lock", "declared"),
    [
        ("requirements.txt", PYPROJECT["dependencies"]),
        ("requirements-dev.txt", PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_the_lock_files_pin_every_declared_dependency_within_its_range(lock: str, declared: list[str]) -> None:
    pinned = pins(lock)
    assert len(pinned) > len(declared)  # the dependencies of the dependencies too
    assert all(hashes for _, hashes in pinned.values()), [n for n, (_, h) in pinned.items() if not h]
    stale = []
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        if name not in pinned or not requirement.specifier.contains(pinned[name][0], prereleases=True):
            stale.append(f"{requirement} (locked: {pinned.get(name, ('none',))[0]})")
    assert stale == [], f"{lock} is out of date with pyproject.toml; remake it (README.md, Deployment): {stale}"


def test_the_image_runs_the_versions_the_tests_ran() -> None:
    dev = pins("requirements-dev.txt")
    assert {name: version for name, (version, _) in pins("requirements.txt").items()} == {
        name: dev[name][0] for name in pins("requirements.txt")
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app built and installed as a package (`pip install .`, not editable) into a folder of
    its own; its dependencies are this environment's."""
    target = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    assert not (target / "app" / "migrations" / "versions").is_symlink()
    return target


def run_installed(installed: Path, cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed), "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'replies.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database()


def test_an_installed_app_migrates_from_another_folder(installed: Path, tmp_path: Path, fresh_url: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import app.db.migrate as m; print(m.__file__); print(m.SCRIPT_LOCATION)"],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(Path(p).is_relative_to(installed) for p in where), where  # the installed copy, not the checkout

    done = run_installed(installed, elsewhere, fresh_url, "migrate")
    assert done.returncode == 0, done.stderr
    head = head_revision(build_engine(fresh_url))
    assert head is not None and done.stdout.strip() == f"database at revision {head}"
    again = run_installed(installed, elsewhere, fresh_url, "migrate")
    assert again.stdout.strip() == f"database at revision {head} (already up to date)"


@pytest.fixture
def database_not_up_yet(postgres_server: PostgresServer) -> Iterator[tuple[str, CuttableProxy]]:
    """A database URL whose server is not accepting connections until the proxy is started."""
    url = make_url(postgres_server.new_database())
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
    proxy.cut()


def test_migrate_waits_for_the_database_to_come_up(database_not_up_yet: tuple[str, CuttableProxy]) -> None:
    url, proxy = database_not_up_yet
    env = {**os.environ, "DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "migrate", "--wait", "300"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    said = process.stderr.readline()  # printed once it has found the database down
    assert said.startswith("waiting up to 300 s for the database: "), said
    proxy.start()
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert out.strip() == f"database at revision {head_revision(build_engine(url))}"


def test_migrate_gives_up_on_a_database_that_never_answers(
    database_not_up_yet: tuple[str, CuttableProxy], tmp_path: Path
) -> None:
    url, _never_started = database_not_up_yet
    done = subprocess.run(
        [sys.executable, "-m", "app", "migrate", "--wait", "1"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: the database did not answer within 1 s: "), done.stderr
    assert "refused" in last or "connect" in last
