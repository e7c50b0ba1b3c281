"""Schema migrations, applied in order on open and recorded in ``schema_migrations``.

All pending migrations run in ONE transaction (``BEGIN IMMEDIATE`` … ``COMMIT``): SQLite's
DDL is transactional, so a run killed halfway leaves the previous schema, never a file
with some tables and no record of them. The caller holds the registry lock."""

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
    (
        2,
        # Populations (登记库中的考核对象群体): a unit is (population, code). Existing rows take
        # their scheme's population: the scheme id, except the four Chongqing schemes, whose
        # county, society, enterprise and university 科协 all number from CQ001.
        """
        ALTER TABLE results ADD COLUMN population TEXT NOT NULL DEFAULT '';
        UPDATE results SET population = CASE scheme
            WHEN 'cq-2020-county' THEN 'cq-county'
            WHEN 'cq-2020-society' THEN 'cq-society'
            WHEN 'cq-2020-enterprise' THEN 'cq-enterprise'
            WHEN 'cq-2020-university' THEN 'cq-university'
            ELSE scheme END;
        CREATE INDEX results_by_population ON results (population, code, year);
        CREATE TABLE units_v2 (
            population  TEXT NOT NULL,
            code        TEXT NOT NULL,
            name        TEXT NOT NULL,
            attributes  TEXT NOT NULL DEFAULT '{}',
            updated     TEXT NOT NULL,
            PRIMARY KEY (population, code)
        );
        INSERT INTO units_v2
            SELECT r.population, r.code, r.name,
                   CASE WHEN u.name = r.name THEN u.attributes ELSE '{}' END,
                   COALESCE(u.updated, datetime('now'))
            FROM results r LEFT JOIN units u ON u.code = r.code
            WHERE r.year = (SELECT MAX(r2.year) FROM results r2
                            WHERE r2.code = r.code AND r2.population = r.population)
            GROUP BY r.population, r.code;
        INSERT OR IGNORE INTO units_v2
            SELECT COALESCE((SELECT population FROM results ORDER BY year DESC LIMIT 1), ''),
                   u.code, u.name, u.attributes, u.updated
            FROM units u WHERE u.code NOT IN (SELECT code FROM units_v2);
        DROP TABLE units;
        ALTER TABLE units_v2 RENAME TO units;
        CREATE TABLE unit_tiers_v2 (
            population  TEXT NOT NULL,
            code        TEXT NOT NULL,
            year        INTEGER NOT NULL,
            tier        TEXT NOT NULL,
            origin      TEXT NOT NULL CHECK (origin IN ('roster', 'moves')),
            PRIMARY KEY (population, code, year)
        );
        INSERT OR IGNORE INTO unit_tiers_v2
            SELECT COALESCE(
                       (SELECT r.population FROM results r
                        WHERE r.code = t.code AND r.tier IS NOT NULL
                          AND r.year IN (t.year, t.year - 1)
                        ORDER BY r.year DESC LIMIT 1),
                       (SELECT u.population FROM units u WHERE u.code = t.code LIMIT 1),
                       ''),
                   t.code, t.year, t.tier, t.origin
            FROM unit_tiers t;
        DROP TABLE unit_tiers;
        ALTER TABLE unit_tiers_v2 RENAME TO unit_tiers;
        -- a code whose name changed within its population (更名), as the run that saw it
        CREATE TABLE unit_renames (
            population  TEXT NOT NULL,
            code        TEXT NOT NULL,
            year        INTEGER NOT NULL,
            old_name    TEXT NOT NULL,
            new_name    TEXT NOT NULL,
            run         INTEGER NOT NULL,
            recorded    TEXT NOT NULL
        );
        """,
    ),
    (
        3,
        # Numbered runs (运行记录): every score run keeps its counts and its full results, so
        # that any two runs can be compared (kxassess diff).
        """
        ALTER TABLE runs ADD COLUMN population TEXT;
        ALTER TABLE runs ADD COLUMN counts TEXT NOT NULL DEFAULT '{}';
        CREATE TABLE run_units (
            run         INTEGER NOT NULL REFERENCES runs (id),
            position    INTEGER NOT NULL,
            code        TEXT NOT NULL,
            name        TEXT NOT NULL,
            detail      TEXT NOT NULL,
            PRIMARY KEY (run, position)
        );
        """,
    ),
    (
        4,
        """
        -- why a run failed (NULL for a successful run), shown in the audit
        ALTER TABLE runs ADD COLUMN reason TEXT;
        """,
    ),
]

LATEST = MIGRATIONS[-1][0]

# What kxassess itself creates; a file holding some of these but no recorded version was
# left by an interrupted first setup of an older kxassess.
_OWN_TABLES = {
    "units",
    "unit_tiers",
    "results",
    "runs",
    "tier_applications",
    "unit_renames",
    "run_units",
}


def schema_version(conn: sqlite3.Connection) -> int:
    """The recorded schema version; 0 for a new (empty) database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def foreign_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables of a database with no recorded version that kxassess may not drop: anything
    not its own, or its own tables holding rows."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    kept = []
    for name in names:
        if name == "schema_migrations":
            continue
        if name not in _OWN_TABLES or conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
            kept.append(name)
    return kept


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations not yet recorded, all in one transaction; returns the schema
    version. Empty tables of an interrupted first setup (no recorded version) are
    dropped and created afresh in the same transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(conn) == 0:
            for name in _OWN_TABLES:
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied TEXT NOT NULL)"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, script in MIGRATIONS:
            if version in done:
                continue
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, datetime('now'))", (version,))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return max(done | {v for v, _ in MIGRATIONS})
