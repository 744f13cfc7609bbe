"""What the reliability scripts share: the `safeguard` binary, a fresh database (a SQLite file, or
an empty PostgreSQL database when DATABASE_URL names a server), users with tokens, `serve`
processes started and killed, and an HTTP client over keep-alive connections. Standard library only."""
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = ["officer", "supervisor", "opla-attorney", "hotline-specialist", "analyst", "auditor", "admin", "integration"]
OFFICES = ["NYC", "LAX"]


def today():
    """The day the server decides open encounters on (its default time zone): an encounter is
    opened today, never on a day before."""
    return datetime.now(ZoneInfo("America/New_York")).date().isoformat()
PASSWORD = "reliability password"


def binary(release=False):
    """Builds `safeguard` (a no-op when it is up to date) and returns its path."""
    configuration = ["-c", "release"] if release else []
    subprocess.run(["swift", "build", *configuration, "--product", "safeguard"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = subprocess.run(["swift", "build", *configuration, "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    return os.path.join(folder, "safeguard")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Failure(Exception):
    """A check that did not hold: the script prints it and exits 1."""


class Database:
    """A fresh database: a SQLite file under `folder`, or a new PostgreSQL database on the server
    that `server_url` names (dropped again by `drop`)."""

    def __init__(self, folder, server_url=None, name="safeguard"):
        self.folder = folder
        self.server_url = server_url
        if server_url:
            self.name = f"safeguard_reliability_{name}_{os.getpid()}_{random.randrange(1 << 30)}"
            self.psql(f"CREATE DATABASE {self.name}", database_url=server_url)
            self.url = urllib.parse.urlunparse(urllib.parse.urlparse(server_url)._replace(path="/" + self.name))
            self.path = None
        else:
            self.url = None
            self.path = os.path.join(folder, f"{name}.sqlite")

    @property
    def kind(self):
        return "PostgreSQL" if self.url else "SQLite"

    def environment(self):
        return {"DATABASE_URL": self.url} if self.url else {"SAFEGUARD_DATABASE": self.path}

    def psql(self, statement, database_url=None):
        return subprocess.run(["psql", database_url or self.url, "-v", "ON_ERROR_STOP=1", "-tAc", statement],
                              check=True, capture_output=True, text=True).stdout

    def rows(self, query):
        """The rows of a query, each a tuple of texts."""
        if self.url:
            return [tuple(line.split("|")) for line in self.psql(query).splitlines() if line]
        with sqlite3.connect(self.path) as connection:
            return [tuple("" if value is None else str(value) for value in row) for row in connection.execute(query)]

    def scalar(self, query):
        return self.rows(query)[0][0]

    def integrity(self):
        """SQLite's `integrity_check` ("ok" when sound); PostgreSQL answers for itself."""
        return self.scalar("PRAGMA integrity_check") if self.path else "ok"

    def drop(self):
        if self.url:
            self.psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", database_url=self.server_url)


# Every server started, killed when the script ends however it ends.
RUNNING = []


class Safeguard:
    """The `safeguard` binary over one database, with an audit key of its own."""

    def __init__(self, executable, database, folder):
        self.executable = executable
        self.database = database
        inherited = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "SAFEGUARD_DATABASE")}
        self.environment = dict(inherited, SAFEGUARD_AUDIT_KEY=os.path.join(folder, "audit.key"), **database.environment())
        self.server = None
        self.port = None
        self.log = open(os.path.join(folder, "serve.log"), "ab")

    def run(self, *arguments, stdin=None, check=True):
        result = subprocess.run([self.executable, *arguments], env=self.environment, input=stdin,
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            raise Failure(f"safeguard {' '.join(arguments)} exited {result.returncode}: {result.stdout}{result.stderr}")
        return result

    def add_users(self, roles=ROLES, offices=OFFICES):
        """One user per role and office; returns their tokens by "role@office"."""
        self.run("migrate")
        tokens = {}
        for office in offices:
            for role in roles:
                name = f"{role}-{office.lower()}"
                self.run("users", "add", "--username", name, "--role", role, "--office", office, "--password-stdin", stdin=PASSWORD)
                tokens[f"{role}@{office}"] = self.run("users", "token", name).stdout.strip()
        return tokens

    def start(self, port=None):
        self.port = port or self.port or free_port()
        self.server = subprocess.Popen([self.executable, "serve", "--port", str(self.port)], env=self.environment,
                                       stdout=self.log, stderr=self.log)
        RUNNING.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise Failure(f"safeguard serve exited {self.server.returncode} at start (see {self.log.name})")
            try:
                if Client(self.port, timeout=2).request("GET", "/health")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure("safeguard serve did not answer /health within 60 s")

    def kill(self):
        """SIGKILL: no shutdown, no flush, as a power cut leaves the process."""
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGKILL)
            self.server.wait()

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def verify_audit(self):
        """Integrates what was queued (a killed server's records, a restored backup's), as the next
        server would, then verifies the chain."""
        self.run("audit", "integrate")
        result = self.run("audit", "verify", check=False)
        if result.returncode != 0:
            raise Failure(f"the audit chain does not verify: {result.stdout}{result.stderr}")
        return result.stdout.strip()


class Client:
    """Requests over one keep-alive connection (one per thread); reconnects after an error."""

    def __init__(self, port, token=None, timeout=30):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, body=None, headers=None, raw=None):
        """Returns (status, parsed JSON or None, headers). `raw` sends bytes as they are."""
        sent = {"Safeguard-Purpose": "law-enforcement"}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if payload is not None:
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=payload, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return response.status, parsed, {name.lower(): value for name, value in response.getheaders()}


PERSON = {"givenName": "Ana", "familyName": "Roe", "dateOfBirth": "1990-04-02", "country": "GT"}


def person_body():
    return dict(PERSON, aNumber=f"A{random.randrange(100_000_000, 999_999_999)}")


def create_person(client):
    status, body, _ = client.request("POST", "/api/v1/people", person_body())
    if status != 201:
        raise Failure(f"POST /api/v1/people answered {status}: {body}")
    return body["id"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main(run):
    """Runs `run()` and exits 0, or 1 with the failure printed."""
    sys.stdout.reconfigure(line_buffering=True)
    try:
        run()
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        for safeguard in RUNNING:
            safeguard.kill()


def workspace():
    return tempfile.mkdtemp(prefix="safeguard-reliability-")
