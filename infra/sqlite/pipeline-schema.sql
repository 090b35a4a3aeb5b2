-- SalesPipeline's own tables (SQLite). Applied automatically at silo start; idempotent.
-- Pipeline grains' state is written here in epoch commits: one transaction holds every grain state
-- changed since the previous commit, the source positions and the quarantined records, so the
-- database always reflects a consistent cut of the stream (see docs/architecture.md).
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS sp_grain_state
(
    state_key TEXT NOT NULL PRIMARY KEY,  -- "{stateName}/{grainId}"
    epoch     INTEGER NOT NULL,           -- commit that last wrote it
    payload   BLOB NOT NULL               -- Orleans binary serialization of the state type
);

CREATE TABLE IF NOT EXISTS sp_checkpoint
(
    name    TEXT NOT NULL PRIMARY KEY,    -- "epoch" or "source/{name}"
    epoch   INTEGER NOT NULL,
    payload TEXT NOT NULL                 -- JSON
);

CREATE TABLE IF NOT EXISTS sp_quarantine
(
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    epoch       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    file        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    order_id    TEXT NULL,
    reason      TEXT NOT NULL,
    rule        TEXT NULL,
    raw         TEXT NOT NULL,
    raw_bytes   INTEGER NOT NULL,         -- length of the original line; raw is cut when longer than the limit
    ingest_time TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_sp_quarantine_source ON sp_quarantine (source, id);
