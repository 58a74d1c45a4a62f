"""Counter intake's CPU per dossier against the same inserts in plain SQL (issue 16: "CPU time per
dossier ≤ 3 × that of the same inserts done with plain SQL in one transaction (measure both)").

    scripts/with-postgres.sh .venv/bin/python -m benchmarks.bench_intake_sql [--pairs 5] [--duration 5]

One database, prepared as bench_intake's (16 receivers of one agency), one ``motcua serve``.

- **A, the app**: 16 desks POST counter dossiers over HTTP for ``--duration`` seconds. Its CPU is
  the server's (master and workers) plus PostgreSQL's (postmaster and backends), read from /proc
  before and after; the load generator's own CPU is not counted.
- **B, plain SQL**: the rows one intake wrote — found by taking every table's highest id before
  and after one HTTP intake — written again by psycopg, one transaction per dossier: each row
  INSERTed as it was (new ids; foreign keys to the rows just written follow them; unique values
  made unique), then the daily counter's upsert and the code's UPDATE, as ``serials.assign_code``
  does. Its CPU is this process's plus PostgreSQL's. No Django, no HTTP, no reads, no checks: the
  floor under what any implementation of the same writes pays.

A and B alternate, A B, B A, …; the figure is the median over the pairs of A's CPU per dossier
over B's, with its spread. The profile of A's side is ``benchmarks/profile_paths.py intake``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import secrets
import statistics
import sys
import time
import uuid
from typing import Any

from benchmarks.common import (
    CLIENTS,
    HOST,
    PROCEDURE,
    Server,
    is_postgresql,
    load,
    log,
    postmaster_pid,
    prepare,
    scratch_database,
    tree_cpu,
)
from benchmarks.loadgen import intake_requests

TARGET_RATIO = 3.0

Template = list[tuple[str, dict[str, Any]]]  # (table, row) in the order they must be inserted


def _one_intake(port: int, token: str) -> int:
    """POST one counter dossier, the very request benchmarks.loadgen's intake sends; its id."""
    make = intake_requests(
        {"tokens": [token], "procedure": PROCEDURE, "run": f"template-{secrets.token_hex(4)}"}, 0
    )
    method, path, body, headers = make(0)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status != 201:
        raise RuntimeError(f"the template intake got HTTP {response.status}: {data[:500]!r}")
    return int(json.loads(data)["id"])


class Replay:
    """The rows of one intake, written again with plain SQL (psycopg, no Django)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=False)
        rows = self.conn.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'id' AND data_type IN ('integer', 'bigint')"
        ).fetchall()
        self.tables = sorted(r[0] for r in rows)
        self.conn.commit()
        self.template: Template = []
        self.fks: dict[str, dict[str, str]] = {}  # table → column → referenced table
        self.unique: dict[str, list[str]] = {}  # table → columns to make unique
        self.lengths: dict[tuple[str, str], int] = {}
        self.n = 0

    def highest(self) -> dict[str, int]:
        got = {}
        for table in self.tables:
            row = self.conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()  # noqa: S608 — catalog names
            got[table] = int(row[0]) if row else 0
        self.conn.commit()
        return got

    def capture(self, before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
        """The rows written between the two snapshots, their foreign keys and unique columns."""
        written: dict[str, list[dict[str, Any]]] = {}
        for table in self.tables:
            if after[table] > before[table]:
                cur = self.conn.execute(f'SELECT * FROM "{table}" WHERE id > %s ORDER BY id', [before[table]])  # noqa: S608
                names = [c.name for c in cur.description or []]
                written[table] = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        for table in written:
            self.fks[table] = {
                column: target
                for column, target in self.conn.execute(
                    "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c "
                    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                    "WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
                    [table],
                ).fetchall()
            }
            unique = self.conn.execute(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary",
                [table],
            ).fetchall()
            self.unique[table] = sorted({c for c, kind in unique if c not in self.fks[table] and c != "id"})
            for column, kind in unique:
                if kind.startswith("character varying("):
                    self.lengths[table, column] = int(kind.split("(")[1].rstrip(")"))
        self.conn.commit()
        # Parents before children: a table goes once every table it points to among these has gone.
        order: list[str] = []
        while len(order) < len(written):
            for table in sorted(written):
                if table not in order and all(
                    t in order or t == table or t not in written for t in self.fks[table].values()
                ):
                    order.append(table)
        self.template = [(table, row) for table in order for row in written[table]]
        return {table: len(rows) for table, rows in written.items()}

    def _unique(self, table: str, column: str, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, uuid.UUID):
            return uuid.uuid4()
        suffix = f"~{self.n}"
        limit = self.lengths.get((table, column), 255)
        return f"{str(value)[: limit - len(suffix)]}{suffix}"

    def dossier(self, agency_id: int, day: Any) -> None:
        """One dossier's rows in one transaction, then the counter and the code (assign_code's two)."""
        from psycopg.types.json import Jsonb

        self.n += 1
        new_ids: dict[tuple[str, int], int] = {}
        dossier_id = 0
        for table, row in self.template:
            values = {}
            for column, value in row.items():
                if column == "id":
                    continue
                target = self.fks[table].get(column)
                if target is not None and (target, value) in new_ids:
                    value = new_ids[target, value]
                elif column in self.unique[table]:
                    value = self._unique(table, column, value)
                if isinstance(value, dict | list):
                    value = Jsonb(value)
                values[column] = value
            columns = ", ".join(f'"{c}"' for c in values)
            marks = ", ".join(["%s"] * len(values))
            got = self.conn.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) RETURNING id',  # noqa: S608 — catalog names
                list(values.values()),
            ).fetchone()
            new_ids[table, row["id"]] = int(got[0]) if got else 0
            if table == "dossiers_dossier":
                dossier_id = new_ids[table, row["id"]]
        serial = self.conn.execute(
            "INSERT INTO dossiers_dailyserial (agency_id, day, last) VALUES (%s, %s, 1) "
            "ON CONFLICT (agency_id, day) DO UPDATE SET last = dossiers_dailyserial.last + 1 RETURNING last",
            [agency_id, day],
        ).fetchone()
        self.conn.execute(
            "UPDATE dossiers_dossier SET code = %s WHERE id = %s",
            [f"B-{serial[0] if serial else 0}-{self.n}", dossier_id],
        )
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


Side = tuple[float, float, int]  # (CPU seconds of the app or of this process, of PostgreSQL, dossiers)


def _side_a(server: Server, tokens: list[str], postmaster: int, duration: float) -> Side:
    app, pg = tree_cpu(session=server.proc.pid), tree_cpu(parent=postmaster)
    result = load(
        server.port,
        scenario="intake",
        clients=CLIENTS,
        duration=duration,
        max_requests=100_000,
        warmup_seconds=0,
        params={"tokens": tokens, "procedure": PROCEDURE, "run": secrets.token_hex(4)},
        name="intake",
        setup="",
    )
    time.sleep(0.3)  # let the last backends' CPU settle in /proc
    app, pg = tree_cpu(session=server.proc.pid) - app, tree_cpu(parent=postmaster) - pg
    made = result.statuses.get("201", 0)
    if made == 0 or result.errors:
        raise RuntimeError(f"intake failed: HTTP {result.statuses}, {result.errors} transport errors")
    return app, pg, made


def _side_b(replay: Replay, postmaster: int, dossiers: int, agency_id: int, day: Any) -> Side:
    own, pg = time.process_time(), tree_cpu(parent=postmaster)
    for _ in range(dossiers):
        replay.dossier(agency_id, day)
    time.sleep(0.3)
    return time.process_time() - own, tree_cpu(parent=postmaster) - pg, dossiers


def run(pairs: int, duration: float, workers: int, threads: int) -> list[str]:
    with scratch_database("intakesql") as db:
        if not is_postgresql(db.url):
            return ["intake CPU / plain SQL: needs PostgreSQL (scripts/with-postgres.sh), not run"]
        log(f"intake CPU / plain SQL: preparing {db.label} …")
        data = prepare(db, receivers=CLIENTS)
        postmaster = postmaster_pid(db.url)
        with Server(db.env, workers=workers, threads=threads, log_path=db.tmp / "server.log") as server:
            load(  # warm every worker (imports, caches, prepared plans) before anything is measured
                server.port,
                scenario="intake",
                clients=CLIENTS,
                duration=2,
                max_requests=100_000,
                warmup_seconds=0,
                params={"tokens": data["tokens"], "procedure": PROCEDURE, "run": "warm"},
                name="warm",
                setup="",
            )
            replay = Replay(db.url)
            try:
                before = replay.highest()
                dossier_id = _one_intake(server.port, data["tokens"][0])
                counts = replay.capture(before, replay.highest())
                written = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
                log(f"one intake writes: {written}")
                agency_id, day = replay.conn.execute(
                    "SELECT agency_id, day FROM dossiers_dailyserial ORDER BY id DESC LIMIT 1"
                ).fetchone() or (0, None)
                replay.conn.commit()
                if ("dossiers_dossier", dossier_id) not in {(t, r["id"]) for t, r in replay.template}:
                    raise RuntimeError("the template did not catch the dossier it was taken from")
                _side_b(replay, postmaster, 50, agency_id, day)  # warm psycopg's prepared statements
                ratio, lines = [], []
                for pair in range(pairs):
                    got: dict[str, Side] = {}
                    for side in ("A", "B") if pair % 2 == 0 else ("B", "A"):
                        if side == "A":
                            got[side] = _side_a(server, data["tokens"], postmaster, duration)
                        else:  # as many dossiers as A made last time, or a first guess
                            made = got["A"][2] if "A" in got else 300
                            got[side] = _side_b(replay, postmaster, made, agency_id, day)
                    (a_app, a_pg, a_n), (b_own, b_pg, b_n) = got["A"], got["B"]
                    a_ms, b_ms = 1000 * (a_app + a_pg) / a_n, 1000 * (b_own + b_pg) / b_n
                    ratio.append(a_ms / b_ms)
                    lines.append(
                        f"  pair {pair + 1}: app {a_ms:.2f} ms CPU/dossier (server {1000 * a_app / a_n:.2f} + "
                        f"PostgreSQL {1000 * a_pg / a_n:.2f}; {a_n} dossiers), plain SQL {b_ms:.2f} ms "
                        f"(psycopg {1000 * b_own / b_n:.2f} + PostgreSQL {1000 * b_pg / b_n:.2f}; {b_n}): ×{ratio[-1]:.2f}"
                    )
                    log(lines[-1])
            finally:
                replay.close()
    r = statistics.median(ratio)
    verdict = "PASS" if r <= TARGET_RATIO else "FAIL"
    lines.append(
        f"intake CPU / the same inserts in plain SQL, {pairs} pairs: ×{r:.2f} "
        f"(spread ×{min(ratio):.2f}–×{max(ratio):.2f}; target ≤ ×{TARGET_RATIO:.0f}) — {verdict} "
        f"[{workers} workers × {threads} threads, {db.label}; one intake writes {written}]"
    )
    print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> list[str]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_intake_sql", description=__doc__)
    parser.add_argument("--pairs", type=int, default=5, help="A B pairs (default 5)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each A run (default 5)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    return [
        line
        for line in run(args.pairs, args.duration, args.workers, args.threads)
        if not line.startswith("  ")
    ]


if __name__ == "__main__":
    main()
