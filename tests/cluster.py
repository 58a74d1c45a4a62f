"""The several-machines topology of api-contract §12 started for real on loopback (issue 16): nginx
(Debian's) in front of three ``motcua serve``, two ``motcua worker``, PostgreSQL primary + streaming
replica, Redis, and the stand-ins of the national systems — every part in a temporary directory, on
free ports, each in a process group of its own so that a test can SIGKILL one and start it again.

    python -m tests.cluster up     # prints the URLs and keeps running until Ctrl-C (scripts/cluster.sh)

PostgreSQL runs as the ``postgres`` user when this runs as root (``runuser``, as
scripts/with-postgres.sh does). What nginx may retry on another server, and what not, is in
``NGINX_CONF``'s comments and docs/deployment.md ("The cluster test").
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import PASSWORD, Database, prepare

from motcua.standins.process import HOST, free_pair, free_port

REPO = Path(__file__).resolve().parent.parent
MISSING = "{what} is not installed: .ci/run installs it (apt-get install {package})"

# nginx in front of the app servers. Round robin; a server that refuses connections is skipped for
# `fail_timeout`. Retries on another server ("proxy_next_upstream"):
# - a request that could not be sent (connection refused: the server is down) is always safe to
#   retry, whatever its method — nginx does that for every method;
# - GET/HEAD also after an error, a timeout or a 502 from the server — not after a 503: the app
#   answers 503 when what every server shares is away (the primary restarting), so another server
#   would answer the same, and nginx counts a retried status as a failure of the server: three
#   503s in a row would mark all three down for `fail_timeout`, 502 for everyone for 3 s after a
#   half-second outage. The 503 goes to the client, with its Retry-After;
# - a POST that reached a server is NOT retried by nginx (no `non_idempotent`): the server may
#   have committed it. The client gets 502 and retries itself with the same Idempotency-Key, which
#   the app turns into the dossier made the first time (contract §5). nginx cannot tell a POST
#   with a key from one without, nor wait for the first attempt to finish.
# - the one exception is the public look-up, a POST only to keep ID numbers out of URLs and read
#   only: retried like a GET (each attempt counts against the caller's rate limit).
# No keep-alive to the upstreams: gunicorn closes an idle connection after 2 s, and a POST sent on
# one it is closing at that moment would be a 502 nginx must not retry.
NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                        'xff="$http_x_forwarded_for" upstream=$upstream_addr/$upstream_status '
                        'rt=$request_time';
    {access_log}
    client_body_temp_path {dir}/nginx-tmp/body;
    proxy_temp_path {dir}/nginx-tmp/proxy;
    fastcgi_temp_path {dir}/nginx-tmp/fastcgi;
    uwsgi_temp_path {dir}/nginx-tmp/uwsgi;
    scgi_temp_path {dir}/nginx-tmp/scgi;
    client_max_body_size 25m;
    upstream motcua {{
{servers}
    }}
    server {{
        listen {host}:{port};
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 2s;
        proxy_read_timeout 60s;
        proxy_next_upstream error timeout http_502;
        proxy_next_upstream_tries 3;
        add_header X-Upstream $upstream_addr always;
        location / {{
            proxy_pass http://motcua;
        }}
        location = /api/v1/lookup {{
            proxy_next_upstream error timeout http_502 non_idempotent;
            proxy_pass http://motcua;
        }}
    }}
}}
"""


def nginx_conf(folder: Path, port: int, upstreams: list[int], *, access_log: bool = True) -> str:
    """NGINX_CONF for nginx on ``port`` in front of the app servers on ``upstreams``, its files under
    ``folder`` (``nginx-tmp/`` must exist); without ``access_log`` (a benchmark) it logs no requests."""
    servers = "\n".join(f"        server {HOST}:{p} max_fails=1 fail_timeout=3s;" for p in upstreams)
    return NGINX_CONF.format(
        dir=folder,
        host=HOST,
        port=port,
        servers=servers,
        user="user root;" if os.geteuid() == 0 else "",
        access_log=f"access_log {folder}/nginx-access.log upstream;" if access_log else "access_log off;",
    )


def binaries() -> dict[str, str]:
    """The system programs the cluster needs; AssertionError naming .ci/run when one is missing."""
    found: dict[str, str] = {}
    pgbin = ""
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin")):
        if (d / "initdb").exists():
            pgbin = str(d)
    if not pgbin:
        raise AssertionError(MISSING.format(what="PostgreSQL (initdb, pg_basebackup)", package="postgresql"))
    found["pgbin"] = pgbin
    for name, package in (("redis-server", "redis-server"), ("nginx", "nginx-light")):
        path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
        if path is None:
            raise AssertionError(MISSING.format(what=name, package=package))
        found[name] = path
    return found


@dataclass
class Proc:
    """A process of the cluster in its own process group, its output in ``log``."""

    name: str
    args: list[str]
    env: dict[str, str] | None
    log: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    kills: int = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603 — our own interpreter or Debian's programs
                self.args,
                env=self.env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int, wait: float) -> bool:
        """``sig`` to the whole group; True once every process of it is gone (within ``wait``)."""
        if self.proc is None:
            return True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            self.proc.poll()
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(5)
                return True
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        """SIGKILL to the group: the process and its children (gunicorn's workers) at once."""
        self.kills += 1
        self.signal_group(signal.SIGKILL, 10)

    def stop(self) -> None:
        if not self.signal_group(signal.SIGTERM, 15):
            self.signal_group(signal.SIGKILL, 10)


def wait_http(port: int, path: str, proc: Proc, timeout: float = 90, ready: int = 1) -> None:
    """Until ``GET path`` on the port answers at all ``ready`` times (a 401 is an answer)."""
    deadline = time.monotonic() + timeout
    answered = 0
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited: {proc.log.read_text(errors='replace')[-3000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            answered += 1
            if answered >= ready:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{proc.name} did not start: {proc.log.read_text(errors='replace')[-3000:]}")


@dataclass
class Cluster:
    """Start with ``up()``, stop with ``down()`` (or use it as a context manager)."""

    servers: int = 3
    workers: int = 2
    web_workers: int = 2
    web_threads: int = 4
    desks: int = 16
    seed_dossiers: int = 200
    fsync: bool = False
    standins_latency_ms: int = 0  # each national system's answer this late: deliveries in flight
    lookup_rate: str = "30/min"
    # How many proxies stand in front of the app: nginx, plus (in the test) the load generator,
    # which plays an outer balancer by sending each simulated citizen's own X-Forwarded-For.
    num_proxies: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="motcua-cluster-")))

    def __post_init__(self) -> None:
        self.bin = binaries()
        self.as_pg: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.procs: list[Proc] = []
        self.app_servers: list[Proc] = []
        self.app_workers: list[Proc] = []
        self.seed: dict[str, Any] = {}
        self.pg_port = self.replica_port = self.redis_port = self.port = 0
        self.standins_url = ""
        self.env: dict[str, str] = {}

    # --- PostgreSQL -------------------------------------------------------------------------------

    def _pg(self, program: str, *args: str, timeout: float = 120) -> None:
        log = self.dir / f"{program}.log"
        with log.open("ab") as out:
            done = subprocess.run(  # noqa: S603 — Debian's PostgreSQL programs, our arguments
                [*self.as_pg, f"{self.bin['pgbin']}/{program}", *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {log.read_text(errors='replace')[-3000:]}")

    def _pg_options(self, port: int) -> str:
        durability = "" if self.fsync else " -c fsync=off -c full_page_writes=off"
        return (
            f"-c listen_addresses={HOST} -p {port} -k {self.dir / 'pg'} -c max_connections=300"
            f" -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on{durability}"
        )

    def _start_postgres(self) -> None:
        pg = self.dir / "pg"
        pg.mkdir()
        if self.as_pg:
            shutil.chown(pg, "postgres", "postgres")
        self.pg_port, self.replica_port = free_port(), free_port()
        self._pg("initdb", "-D", str(pg / "primary"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8")  # fmt: skip
        self._pg("pg_ctl", "-D", str(pg / "primary"), "-l", str(pg / "primary.log"), "-w",
                 "-o", self._pg_options(self.pg_port), "start")  # fmt: skip
        self._pg("createdb", "-h", HOST, "-p", str(self.pg_port), "-U", "postgres", "motcua")

    def _start_replica(self) -> None:
        """A streaming replica of the primary, taken after the seed (pg_basebackup -R: hot standby)."""
        pg = self.dir / "pg"
        self._pg("pg_basebackup", "-h", HOST, "-p", str(self.pg_port), "-U", "postgres",
                 "-D", str(pg / "replica"), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        self._pg("pg_ctl", "-D", str(pg / "replica"), "-l", str(pg / "replica.log"), "-w",
                 "-o", self._pg_options(self.replica_port), "start")  # fmt: skip

    def restart_primary(self) -> float:
        """``pg_ctl restart -m fast`` on the primary: its connections are cut (a transaction in flight
        rolls back), new ones refused until it is back; the seconds that took. The replica
        reconnects to it by itself."""
        pg = self.dir / "pg"
        began = time.monotonic()
        self._pg("pg_ctl", "-D", str(pg / "primary"), "-l", str(pg / "primary.log"), "-m", "fast", "-w",
                 "-o", self._pg_options(self.pg_port), "restart")  # fmt: skip
        return time.monotonic() - began

    def _stop_postgres(self) -> None:
        pg = self.dir / "pg"
        for name in ("replica", "primary"):
            if (pg / name / "postmaster.pid").exists():
                with contextlib.suppress(Exception):
                    self._pg("pg_ctl", "-D", str(pg / name), "-m", "immediate", "-w", "stop", timeout=30)

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.pg_port}/motcua"

    @property
    def replica_url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.replica_port}/motcua"

    def sql(self, sql: str, *, replica: bool = False) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.replica_url if replica else self.database_url, autocommit=True) as conn:
            cursor = conn.execute(sql)
            return list(cursor.fetchall()) if cursor.description else []

    # --- the rest ------------------------------------------------------------------------------------

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None, port: int = 0) -> Proc:
        proc = Proc(name, args, env, self.dir / "logs" / f"{name}.log", port)
        proc.start()
        self.procs.append(proc)
        return proc

    def _start_redis(self) -> None:

        self.redis_port = free_port()
        (self.dir / "redis").mkdir()
        self._spawn("redis", [self.bin["redis-server"], "--port", str(self.redis_port), "--bind", HOST,
                              "--dir", str(self.dir / "redis"), "--save", "", "--appendonly", "yes",
                              "--appendfsync", "everysec" if not self.fsync else "always"], None)  # fmt: skip
        self._wait_redis()

    def _wait_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while True:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def restart_redis(self, down: float = 0.0) -> float:
        """SIGTERM to redis-server (it writes its append-only file and exits), ``down`` seconds with no
        Redis, then the same server on the same port and data; the seconds Redis was away."""
        proc = next(p for p in self.procs if p.name == "redis")
        began = time.monotonic()
        proc.stop()
        time.sleep(down)
        proc.start()
        self._wait_redis()
        return time.monotonic() - began

    @property
    def redis_url(self) -> str:
        return f"redis://{HOST}:{self.redis_port}/0"

    def _start_standins(self) -> None:
        port = free_pair()
        env = {k: v for k, v in os.environ.items() if k != "MOTCUA_STANDINS_URL"}
        args = [sys.executable, "-m", "motcua.cli", "standins", "--host", HOST, "--port", str(port)]
        if self.standins_latency_ms:
            args += ["--latency-ms", str(self.standins_latency_ms)]
        proc = self._spawn("standins", args, env, port)
        wait_http(port, "/health", proc, timeout=30)
        self.standins_url = f"http://{HOST}:{port}"

    def _app_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOTCUA_"))}
        return (
            env
            | {
                "MOTCUA_DATABASE_URL": self.database_url,
                "MOTCUA_DATABASE_REPLICA_URL": self.replica_url,
                "MOTCUA_REDIS_URL": self.redis_url,
                "MOTCUA_STANDINS_URL": self.standins_url,
                "MOTCUA_VAR_DIR": str(self.dir / "var"),  # the uploads: one folder shared by all servers
                "MOTCUA_LOG_LEVEL": "WARNING",
                "MOTCUA_NUM_PROXIES": str(self.num_proxies),
                "MOTCUA_LOOKUP_RATE": self.lookup_rate,
                "MOTCUA_LOGIN_RATE": "1000/min",
                # A killed worker's leases and Redis claims lapse soon, so that the test sees them retried.
                "MOTCUA_OUTBOX_LEASE_SECONDS": "5",
                "MOTCUA_OUTBOX_BACKOFF_SECONDS": "0.5",
                "MOTCUA_TASK_CLAIM_SECONDS": "20",
                "MOTCUA_OUTBOX_THREADS": "4",
            }
            | self.extra_env
        )

    def _seed(self) -> None:
        # The benchmarks' seed (a province, its centre, a department, the procedure, desk users with
        # tokens, received dossiers), run on the primary.
        db = Database(self.env, self.database_url, "cluster", self.dir)
        self.seed = prepare(db, receivers=self.desks, dossiers=self.seed_dossiers)

    def server_proc(self, i: int) -> Proc:
        port = free_port()
        return Proc(f"serve{i}", [sys.executable, "-m", "motcua.cli", "serve", "--host", HOST, "--port", str(port),
                                  "--workers", str(self.web_workers), "--threads", str(self.web_threads)],
                    self.env, self.dir / "logs" / f"serve{i}.log", port)  # fmt: skip

    def start_server(self, proc: Proc) -> None:
        proc.start()
        if proc not in self.procs:
            self.procs.append(proc)
        wait_http(proc.port, "/api/v1/dossiers", proc, ready=2 * self.web_workers)

    def start_worker(self, proc: Proc) -> None:
        proc.start()
        if proc not in self.procs:
            self.procs.append(proc)

    def _start_nginx(self) -> None:
        self.port = free_port()
        (self.dir / "nginx-tmp").mkdir()
        conf = self.dir / "nginx.conf"
        conf.write_text(nginx_conf(self.dir, self.port, [s.port for s in self.app_servers]))
        proc = self._spawn("nginx", [self.bin["nginx"], "-p", str(self.dir), "-c", str(conf),
                                     "-g", "daemon off;"], None, self.port)  # fmt: skip
        wait_http(self.port, "/api/v1/dossiers", proc, timeout=30)

    def up(self) -> Cluster:
        os.chmod(self.dir, 0o755)  # noqa: S103 — the postgres user reaches its folder under it
        (self.dir / "logs").mkdir()
        (self.dir / "var").mkdir()
        try:
            self._start_postgres()
            self._start_redis()
            self._start_standins()
            self.env = self._app_env()
            self._seed()
            self._start_replica()
            self.app_servers = [self.server_proc(i) for i in range(self.servers)]
            for s in self.app_servers:
                s.start()
                self.procs.append(s)
            for s in self.app_servers:
                wait_http(s.port, "/api/v1/dossiers", s, ready=2 * self.web_workers)
            for i in range(self.workers):
                w = Proc(f"worker{i}", [sys.executable, "-m", "motcua.cli", "worker", "--interval", "0.2"],
                         self.env, self.dir / "logs" / f"worker{i}.log")  # fmt: skip
                self.app_workers.append(w)
                self.start_worker(w)
            self._start_nginx()
        except BaseException:
            self.down()
            raise
        return self

    def down(self, *, keep: bool = False) -> None:
        """Everything stopped (nginx first, PostgreSQL last); the folder removed unless ``keep``."""
        for proc in reversed(self.procs):
            proc.stop()
        self._stop_postgres()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.down(keep=os.environ.get("MOTCUA_CLUSTER_KEEP") == "1")

    # --- what the test asks of it -----------------------------------------------------------------

    def replica_lag_bytes(self) -> int:
        """How far the replica's replay is behind the primary's WAL, in bytes."""
        (primary,) = self.sql("SELECT pg_current_wal_lsn()::text")[0]
        (lag,) = self.sql(
            f"SELECT pg_wal_lsn_diff('{primary}', pg_last_wal_replay_lsn())::bigint", replica=True
        )[0]
        return int(lag)

    def describe(self) -> str:
        lines = [
            f"nginx          http://{HOST}:{self.port}/",
            *(f"motcua serve   http://{HOST}:{s.port}/ (pid {s.pid})" for s in self.app_servers),
            *(f"motcua worker  pid {w.pid}" for w in self.app_workers),
            f"PostgreSQL     {self.database_url} (primary)",
            f"               {self.replica_url} (streaming replica)",
            f"Redis          {self.redis_url}",
            f"stand-ins      {self.standins_url}/",
            f"desk tokens    {', '.join(self.seed.get('tokens', [])[:2])}, … (tiepnhan0..{self.desks - 1} / {PASSWORD})",
            f"folder         {self.dir} (logs/, nginx-access.log)",
        ]
        return "\n".join(lines)


@contextlib.contextmanager
def cluster(**options: Any) -> Iterator[Cluster]:
    with Cluster(**options) as c:
        yield c


def main(argv: list[str]) -> int:
    if argv[:1] != ["up"]:
        print("usage: python -m tests.cluster up   (scripts/cluster.sh up; Ctrl-C or SIGTERM takes it down)")
        return 2
    stop = {"now": False}

    def on_signal(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    c = Cluster(num_proxies=int(os.environ.get("MOTCUA_NUM_PROXIES", "1")))
    Path(os.environ.get("MOTCUA_CLUSTER_PIDFILE", "/tmp/motcua-cluster.pid")).write_text(f"{os.getpid()}\n")  # noqa: S108 — scripts/cluster.sh down reads it
    c.up()
    try:
        print(c.describe(), flush=True)
        print("Up. Ctrl-C (or scripts/cluster.sh down) takes it all down.", flush=True)
        while not stop["now"]:
            time.sleep(0.5)
    finally:
        c.down(keep=os.environ.get("MOTCUA_CLUSTER_KEEP") == "1")
        print("Down.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
