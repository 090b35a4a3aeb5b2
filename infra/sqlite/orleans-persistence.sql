-- Tables and query text for Orleans' ADO.NET grain storage provider (Microsoft.Orleans.Persistence.AdoNet)
-- on SQLite. The package ships no scripts; this one is written from the provider's contract: it reads
-- the rows of OrleansQuery at start-up and runs WriteToStorageKey, ReadFromStorageKey and ClearStorageKey
-- with the parameters GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
-- GrainIdExtensionString, ServiceId (+ GrainStateVersion, PayloadBinary). Applied automatically at silo
-- start; idempotent.
--
-- Notes for SQLite:
-- * No RETURNING: under concurrency it made writers fail with "database is locked". The new version is
--   computed with changes() in a second statement of the same command instead.
-- * GrainIdExtensionString is stored as '' instead of NULL so that one UNIQUE index identifies a grain
--   (NULLs are distinct in SQLite indexes) and the upsert below can target it.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT NOT NULL,
    GrainIdExtensionString TEXT NOT NULL DEFAULT '',
    ServiceId              TEXT NOT NULL,
    PayloadBinary          BLOB NULL,
    ModifiedOn             TEXT NOT NULL,
    Version                INTEGER NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_OrleansStorage ON OrleansStorage
    (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId);

-- Insert when the grain has never written (GrainStateVersion NULL) or update when the stored version is
-- the one the grain read; anything else changes no row and returns the version the grain sent, which the
-- provider reports as an InconsistentStateException.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
     PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, IFNULL(@GrainIdExtensionString, ''''),
       @ServiceId, @PayloadBinary, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM OrleansStorage
              WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                AND GrainTypeString = @GrainTypeString
                AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
                AND ServiceId = @ServiceId AND Version = @GrainStateVersion)
ON CONFLICT (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
DO UPDATE SET PayloadBinary = excluded.PayloadBinary,
              ModifiedOn = excluded.ModifiedOn,
              Version = OrleansStorage.Version + 1
   WHERE OrleansStorage.Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN IFNULL(@GrainStateVersion, 0) + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString = IFNULL(@GrainIdExtensionString, '''')
  AND ServiceId = @ServiceId
  AND Version = @GrainStateVersion;
SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1 ELSE @GrainStateVersion END AS NewGrainStateVersion;
');
