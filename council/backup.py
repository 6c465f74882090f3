"""Backups of a database of the record with PostgreSQL's own tools, and restoring one into an empty database.

`python -m council.backup dump DATABASE_URL FOLDER` writes FOLDER/record-<UTC time>.dump
(pg_dump's custom format, compressed; without the rows of the stored downloads, which are
rendered again) and prints its name. `python -m council.backup
restore FILE DATABASE_URL` restores it with pg_restore into that database, which must
hold no tables: a restore never mixes with, or overwrites, data already there.
"""

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg

from council.localdb import pg_tool


def tool(name):
    return shutil.which(name) or pg_tool(name)


def dump(url, folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"record-{stamp}.dump"
    # The stored downloads are a build product of one version (meetings/prerender.py): their
    # table is kept, their rows (megabytes at a large record) are made again after a restore.
    subprocess.run([tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
                    "--exclude-table-data=meetings_storeddownload", "--dbname", url], check=True)
    return target


def tables_in(url):
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]


def restore(file, url):
    if not Path(file).is_file():
        sys.exit(f"No backup at {file}.")
    existing = tables_in(url)
    if existing:
        sys.exit(f"The target database already holds {existing} tables; restore only into an empty database "
                 "(create one, or set DATABASE_URL to one).")
    subprocess.run([tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                    "--dbname", url, str(file)], check=True)


def main(argv):
    if len(argv) == 3 and argv[0] == "dump":
        print(dump(argv[1], argv[2]))
    elif len(argv) == 3 and argv[0] == "restore":
        restore(argv[1], argv[2])
    else:
        sys.exit("usage: python -m council.backup dump DATABASE_URL FOLDER | restore FILE DATABASE_URL")


if __name__ == "__main__":
    main(sys.argv[1:])
