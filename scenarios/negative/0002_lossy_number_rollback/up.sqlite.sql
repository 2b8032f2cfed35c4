-- KNOWN BAD (negative case; scenarios/negative/README.md). The same up as
-- migrations/0002_number_infrastructure (copied verbatim below); only the
-- down differs: it is the rollback SQL of seed 001, which rollback_identical
-- must reject.

-- Phase 1.1 schema. SQLite cannot DROP a column that carries a foreign key,
-- so the two new reference columns are declared without REFERENCES here (the
-- down must be exact); PostgreSQL enforces those two keys.
ALTER TABLE message_numbers ADD COLUMN number_class TEXT
  CHECK (number_class IN ('front_desk', 'sitter', 'pool'));
ALTER TABLE message_numbers ADD COLUMN assigned_sitter_id INTEGER;
ALTER TABLE message_numbers ADD COLUMN owner_id INTEGER;
ALTER TABLE message_numbers ADD COLUMN is_rotating INTEGER NOT NULL DEFAULT 0
  CHECK (is_rotating IN (0, 1));
ALTER TABLE message_numbers ADD COLUMN rotation_priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message_numbers ADD COLUMN last_assigned_at TEXT;

ALTER TABLE message_threads ADD COLUMN number_class TEXT
  CHECK (number_class IN ('front_desk', 'sitter', 'pool'));
ALTER TABLE message_threads ADD COLUMN message_number_id INTEGER;
ALTER TABLE message_threads ADD COLUMN is_one_time_client INTEGER
  CHECK (is_one_time_client IN (0, 1));
ALTER TABLE message_threads ADD COLUMN is_meet_and_greet INTEGER NOT NULL DEFAULT 0
  CHECK (is_meet_and_greet IN (0, 1));
ALTER TABLE message_threads ADD COLUMN meet_and_greet_approved_at TEXT;

CREATE TABLE sitter_masked_numbers (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  sitter_id INTEGER NOT NULL REFERENCES sitters (id) ON DELETE CASCADE,
  message_number_id INTEGER NOT NULL REFERENCES message_numbers (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  UNIQUE (sitter_id, message_number_id)
);

CREATE TABLE assignment_windows (
  id INTEGER PRIMARY KEY,
  thread_id INTEGER NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
  sitter_id INTEGER NOT NULL REFERENCES sitters (id) ON DELETE CASCADE,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  CHECK (ends_at > starts_at)
);

CREATE TABLE anti_poaching_attempts (
  id INTEGER PRIMARY KEY,
  thread_id INTEGER NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
  sitter_id INTEGER REFERENCES sitters (id) ON DELETE SET NULL,
  detected_pattern TEXT NOT NULL,
  message_excerpt TEXT,
  created_at TEXT NOT NULL
);

-- Phase 1.4 backfill. Every statement only fills what is still NULL, so a
-- second run changes nothing (the seed's idempotence requirement).

-- 1. Exactly one front desk per org: its first active number. Orgs without an
--    active number get none; the gate reports them instead of failing here.
UPDATE message_numbers SET number_class = 'front_desk'
WHERE number_class IS NULL
  AND id = (SELECT x.id FROM message_numbers x
            WHERE x.org_id = message_numbers.org_id AND x.is_active = 1
            ORDER BY x.created_at, x.id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM message_numbers f
                  WHERE f.org_id = message_numbers.org_id AND f.number_class = 'front_desk');

-- 2. Every other existing number is a pool number; sitter-masked numbers are
--    created on demand when sitters are assigned, never by this backfill.
UPDATE message_numbers SET number_class = 'pool' WHERE number_class IS NULL;

-- 3. Threads: the org's number the client texted (business_number), else the
--    org's front desk. Never another org's number.
UPDATE message_threads
SET message_number_id = coalesce(
  (SELECT m.id FROM message_numbers m
   WHERE m.org_id = message_threads.org_id AND m.e164 = message_threads.business_number),
  (SELECT m.id FROM message_numbers m
   WHERE m.org_id = message_threads.org_id AND m.number_class = 'front_desk'))
WHERE message_number_id IS NULL;

-- 4. The class is derived strictly from the assigned number.
UPDATE message_threads
SET number_class = (SELECT m.number_class FROM message_numbers m
                    WHERE m.id = message_threads.message_number_id)
WHERE number_class IS NULL AND message_number_id IS NOT NULL;

-- 5. One-time unless an explicit recurrence flag says otherwise (NULL is no
--    signal; booking counts are deliberately ignored).
UPDATE message_threads
SET is_one_time_client = NOT EXISTS (SELECT 1 FROM bookings b
                                     WHERE b.customer_id = message_threads.customer_id
                                       AND b.is_recurring = 1)
WHERE is_one_time_client IS NULL;
