"""make backup and make restore: a backup restored into an empty database gives back the same record."""

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def url_of(database):
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{database}"


def run(*args, database_url=None):
    env = {**os.environ, **({"DATABASE_URL": database_url} if database_url else {})}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def same_tree(left, right):
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.diff_files or comparison.funny_files:
        return False
    return all(same_tree(Path(left) / sub, Path(right) / sub) for sub in comparison.common_dirs)


@pytest.fixture
def empty_database():
    name = f"restore_{os.getpid()}"
    with psycopg.connect(url_of("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url_of(name)
    with psycopg.connect(url_of("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_the_whole_record(record, tmp_path, empty_database):
    source = url_of(settings.DATABASES["default"]["NAME"])
    dumped = run("-m", "council.backup", "dump", source, str(tmp_path / "backups"))
    assert dumped.returncode == 0, dumped.stderr
    backup = Path(dumped.stdout.strip())
    assert backup.name.startswith("record-") and backup.suffix == ".dump" and backup.stat().st_size > 0

    restored = run("-m", "council.backup", "restore", str(backup), empty_database)
    assert restored.returncode == 0, restored.stderr

    for name, url in (("before", source), ("after", empty_database)):
        result = run("manage.py", "dump_record", "--dir", str(tmp_path / name), database_url=url)
        assert result.returncode == 0, result.stderr
    assert same_tree(tmp_path / "before", tmp_path / "after")
    assert len(list((tmp_path / "after" / "events").iterdir())) == 12


def test_a_backup_leaves_out_the_stored_downloads_rows_not_their_table(record, tmp_path, empty_database):
    source = url_of(settings.DATABASES["default"]["NAME"])
    # Committed from another connection, as a render ahead in a server would store it.
    with psycopg.connect(source, autocommit=True) as conn:
        conn.execute("INSERT INTO meetings_storeddownload (path, version, headers, plain, gzip, br, stored) "
                     "VALUES ('/data/backup-test.csv', 'v', '{}', 'a', 'b', 'c', now())")
    try:
        backup = run("-m", "council.backup", "dump", source, str(tmp_path)).stdout.strip()
    finally:
        with psycopg.connect(source, autocommit=True) as conn:
            conn.execute("DELETE FROM meetings_storeddownload WHERE path = '/data/backup-test.csv'")
    assert run("-m", "council.backup", "restore", backup, empty_database).returncode == 0
    with psycopg.connect(empty_database, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM meetings_storeddownload").fetchone()[0] == 0


def test_a_restore_never_writes_over_a_database_that_holds_tables(record, tmp_path):
    source = url_of(settings.DATABASES["default"]["NAME"])
    backup = run("-m", "council.backup", "dump", source, str(tmp_path)).stdout.strip()
    refused = run("-m", "council.backup", "restore", backup, source)
    assert refused.returncode != 0 and "empty database" in refused.stderr
