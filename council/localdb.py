"""A PostgreSQL cluster of the project's own, for `make run` and `make test`.

`python -m council.localdb up run` makes (once) and starts the cluster the dashboard
keeps its data in, and prints its DATABASE_URL; `up test` does the same for a throwaway
cluster that only the tests use; `down run|test` stops one. Progress goes to stderr so
that stdout carries nothing but the URL.

The PostgreSQL server refuses to run as root, so as root every server command runs as
the `postgres` system user, on a data folder that user owns and can reach.
"""

import hashlib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

CHECKOUT = Path(__file__).resolve().parent.parent
ROLE = "record"
DATABASE = "record"
CLUSTERS = {
    # The dashboard's data: crash-safe settings.
    "run": [],
    # Throwaway: speed over durability, which is fine for data no one keeps.
    "test": ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    # Throwaway too: the outage test stops and starts it without touching the others.
    "outage": ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
}
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def say(message):
    print(f"    {message}", file=sys.stderr, flush=True)


def pg_tool(name):
    found = shutil.which(name)
    if found:
        return found
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    sys.exit(f"PostgreSQL's `{name}` was not found: install the PostgreSQL server (15 or newer).")


def as_root():
    return os.geteuid() == 0


def server_user():
    return pwd.getpwnam("postgres") if as_root() else pwd.getpwuid(os.geteuid())


def reachable_by(folder, user):
    """Whether `user` can enter `folder` and every folder above it."""
    for part in [folder, *folder.parents]:
        if not part.exists():
            continue
        mode = part.stat().st_mode
        if part.stat().st_uid == user.pw_uid:
            if not mode & 0o100:
                return False
        elif not mode & 0o001 and not (part.stat().st_gid == user.pw_gid and mode & 0o010):
            return False
    return True


def base_folder():
    """`.local/` in the checkout, or a folder keyed by the checkout where the server can't reach it."""
    local = CHECKOUT / ".local"
    if reachable_by(CHECKOUT, server_user()):
        return local
    key = hashlib.sha256(str(CHECKOUT).encode()).hexdigest()[:12]
    return Path("/var/tmp") / f"dprk-record-{key}"


def run_as_server(args, check=True, **kwargs):
    if as_root():
        args = ["runuser", "-u", "postgres", "--", *args]
    # The server user may not be able to enter the current folder; "/" it can.
    return subprocess.run(args, check=check, cwd="/", **kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def paths(name):
    base = base_folder()
    return {
        "base": base,
        "data": base / f"pg-{name}",
        "port": base / f"pg-{name}.port",
        "password": base / f"pg-{name}.password",
        "log": base / f"pg-{name}.log",
    }


def initialise(p):
    say(f"creating a PostgreSQL cluster in {p['data']}")
    p["base"].mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    p["password"].write_text(password)
    p["password"].chmod(0o600)
    p["port"].write_text(str(free_port()))
    p["data"].mkdir(mode=0o700)
    user = server_user()
    pwfile = p["base"] / f".{p['data'].name}.pw"
    pwfile.write_text(password)
    if as_root():
        os.chown(p["data"], user.pw_uid, user.pw_gid)
        os.chown(pwfile, user.pw_uid, user.pw_gid)
    try:
        run_as_server(
            [pg_tool("initdb"), "--no-sync", "-D", str(p["data"]), "-U", "postgres",
             "--pwfile", str(pwfile), "--auth", "scram-sha-256", "-E", "UTF8",
             "--locale", "C.UTF-8"],
            stdout=subprocess.DEVNULL,
        )
    finally:
        pwfile.unlink()


def is_running(p):
    if not (p["data"] / "postmaster.pid").exists():
        return False
    status = run_as_server([pg_tool("pg_ctl"), "status", "-D", str(p["data"])],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return status.returncode == 0


def start(name, p):
    port = p["port"].read_text().strip()
    options = " ".join(["-c", "listen_addresses=127.0.0.1", "-c", f"port={port}",
                        "-c", "unix_socket_directories=''", *CLUSTERS[name]])
    say(f"starting PostgreSQL ({name}) on 127.0.0.1:{port}")
    # The server writes its log as its own user, in a folder it may not own.
    p["log"].touch()
    if as_root():
        os.chown(p["log"], server_user().pw_uid, server_user().pw_gid)
    run_as_server([pg_tool("pg_ctl"), "start", "-w", "-t", "60", "-D", str(p["data"]),
                   "-l", str(p["log"]), "-o", options], stdout=subprocess.DEVNULL)


def connect(p, dbname):
    return psycopg.connect(host="127.0.0.1", port=p["port"].read_text().strip(),
                           user="postgres", password=p["password"].read_text().strip(),
                           dbname=dbname, autocommit=True, connect_timeout=10)


def ensure_database(p):
    password = p["password"].read_text().strip()
    with connect(p, "postgres") as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone():
            say(f"creating role {ROLE} and database {DATABASE}")
            # CREATEDB: pytest-django creates and drops test_<name> itself.
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                sql.Identifier(ROLE), sql.Literal(password)))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(DATABASE), sql.Identifier(ROLE)))
    return f"postgres://{ROLE}:{password}@127.0.0.1:{p['port'].read_text().strip()}/{DATABASE}"


def up(name):
    p = paths(name)
    if not (p["data"] / "PG_VERSION").exists():
        if p["data"].exists():
            sys.exit(f"{p['data']} exists but holds no cluster: move it away and run again.")
        initialise(p)
    if is_running(p):
        say(f"PostgreSQL ({name}) is already running on 127.0.0.1:{p['port'].read_text().strip()}")
    else:
        start(name, p)
    deadline = time.monotonic() + 30
    while True:
        try:
            return ensure_database(p)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def down(name):
    p = paths(name)
    if is_running(p):
        say(f"stopping PostgreSQL ({name}); its data stays in {p['data']}")
        run_as_server([pg_tool("pg_ctl"), "stop", "-m", "fast", "-D", str(p["data"])],
                      stdout=subprocess.DEVNULL)
    else:
        say(f"PostgreSQL ({name}) is not running")


def create_database(name, database, replace=False):
    """A new, empty database in a running cluster (for restoring a backup beside the data); its URL.

    `replace` drops a database of that name first: only for scratch databases (make synthesize).
    """
    url = up(name)
    p = paths(name)
    with connect(p, "postgres") as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            if not replace:
                sys.exit(f"A database named {database} exists already: choose another name.")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
            say(f"dropped the earlier {database}")
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(ROLE)))
    say(f"created the empty database {database}")
    return url.rsplit("/", 1)[0] + "/" + database


def main(argv):
    if len(argv) == 3 and argv[0] in ("createdb", "recreatedb") and argv[1] in CLUSTERS:
        print(create_database(argv[1], argv[2], replace=argv[0] == "recreatedb"))
        return
    if len(argv) != 2 or argv[0] not in ("up", "down") or argv[1] not in CLUSTERS:
        sys.exit("usage: python -m council.localdb up|down run|test|outage, or createdb|recreatedb run|test NAME")
    action, name = argv
    if action == "up":
        print(up(name))
    else:
        down(name)


if __name__ == "__main__":
    main(sys.argv[1:])
