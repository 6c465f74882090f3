"""wrk (a load generator in C) driven from Python, for make soak and make drill."""

import re
import subprocess
import tempfile
from pathlib import Path

# Every public page and download, all served warm once rendered; wrk asks for them in turn.
PATHS = [
    "/", "/meetings/", "/meetings/?format=public", "/meetings/2014-12-22/", "/meetings/2016-12-09/", "/votes/",
    "/votes/?sort=against", "/countries/", "/countries/chn/", "/countries/usa/", "/search/?q=forced+labour",
    "/method/", "/data/", "/data/meetings.json", "/data/meetings.csv", "/data/ballots.csv",
    "/data/statements.csv", "/data/members.json", "/data/feed.atom",
]

SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  n, server_errors, client_errors = 0, 0, 0
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Accept-Encoding"] = "gzip, br"})
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 elseif status >= 400 then client_errors = client_errors + 1 end
end
function done(summary, latency, requests)
  local s5, s4 = 0, 0
  for _, t in ipairs(threads) do
    s5 = s5 + t:get("server_errors")
    s4 = s4 + t:get("client_errors")
  end
  io.write(string.format("STATUS 5xx=%%d 4xx=%%d\\n", s5, s4))
end
"""


def script_file(paths):
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    handle.write(SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    handle.close()
    return handle.name


def start(url, seconds, connections, paths=PATHS, threads=2):
    """wrk running in the background; finish() reads its result."""
    lua = script_file(paths)
    process = subprocess.Popen(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                                "--latency", "-s", lua, url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    process.lua = lua
    return process


def finish(process):
    out, _ = process.communicate()
    Path(process.lua).unlink(missing_ok=True)
    found = {
        "requests": re.search(r"(\d+) requests in", out),
        "rate": re.search(r"Requests/sec:\s+([\d.]+)", out),
        "status": re.search(r"STATUS 5xx=(\d+) 4xx=(\d+)", out),
        "errors": re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out),
        "p50": re.search(r"50%\s+(\S+)", out),
        "p99": re.search(r"99%\s+(\S+)", out),
    }
    if not (found["requests"] and found["status"]):
        raise RuntimeError(f"wrk did not report as expected:\n{out}")
    return {
        "requests": int(found["requests"].group(1)),
        "rate": float(found["rate"].group(1)),
        "5xx": int(found["status"].group(1)),
        "4xx": int(found["status"].group(2)),
        "socket_errors": sum(map(int, found["errors"].groups())) if found["errors"] else 0,
        "p50": found["p50"].group(1) if found["p50"] else "?",
        "p99": found["p99"].group(1) if found["p99"] else "?",
        "output": out,
    }
