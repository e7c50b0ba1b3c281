"""Schema migrations, applied in order on open and recorded in ``schema_migrations``."""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE units (
            code        TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            attributes  TEXT NOT NULL DEFAULT '{}',
            updated     TEXT NOT NULL
        );
        -- each unit's tier per year: from a scored roster, or from applied moves
        CREATE TABLE unit_tiers (
            code    TEXT NOT NULL,
            year    INTEGER NOT NULL,
            tier    TEXT NOT NULL,
            origin  TEXT NOT NULL CHECK (origin IN ('roster', 'moves')),
            PRIMARY KEY (code, year)
        );
        CREATE TABLE results (
            scheme      TEXT NOT NULL,
            year        INTEGER NOT NULL,
            code        TEXT NOT NULL,
            name        TEXT NOT NULL,
            tier        TEXT,
            grp         TEXT NOT NULL,
            status      TEXT NOT NULL,
            total       TEXT,
            components  TEXT,
            rank        INTEGER,
            grade       TEXT,
            move        TEXT,
            next_tier   TEXT,
            honours     TEXT NOT NULL DEFAULT '[]',
            flags       TEXT NOT NULL DEFAULT '[]',
            position    INTEGER NOT NULL,  -- order of the published results
            PRIMARY KEY (scheme, year, code)
        );
        CREATE INDEX results_by_code ON results (code, year);
        -- one audit row per run, kept when a year is re-scored
        CREATE TABLE runs (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            started     TEXT NOT NULL,
            finished    TEXT NOT NULL,
            scheme      TEXT,
            year        INTEGER,
            inputs      TEXT NOT NULL,
            version     TEXT NOT NULL,
            exit_code   INTEGER NOT NULL,
            digest      TEXT
        );
        -- tier moves of a (scheme, year) applied to year + 1
        CREATE TABLE tier_applications (
            scheme   TEXT NOT NULL,
            year     INTEGER NOT NULL,
            digest   TEXT NOT NULL,
            applied  TEXT NOT NULL,
            PRIMARY KEY (scheme, year)
        );
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations not yet recorded; returns the schema version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    for version, script in MIGRATIONS:
        if version in done:
            continue
        with conn:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, datetime('now'))", (version,))
    return max(done | {v for v, _ in MIGRATIONS})
