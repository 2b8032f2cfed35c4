-- KNOWN BAD (negative case; scenarios/negative/README.md). The same up as
-- migrations/0002_number_infrastructure (copied verbatim below); only the
-- down differs: it is the rollback SQL of seed 001, which rollback_identical
-- must reject.

-- Phase 1.1 schema.
ALTER TABLE message_numbers ADD COLUMN number_class text
  CHECK (number_class IN ('front_desk', 'sitter', 'pool'));
ALTER TABLE message_numbers ADD COLUMN assigned_sitter_id bigint REFERENCES sitters (id) ON DELETE SET NULL;
ALTER TABLE message_numbers ADD COLUMN owner_id bigint;
ALTER TABLE message_numbers ADD COLUMN is_rotating boolean NOT NULL DEFAULT false;
ALTER TABLE message_numbers ADD COLUMN rotation_priority integer NOT NULL DEFAULT 0;
ALTER TABLE message_numbers ADD COLUMN last_assigned_at timestamptz;

ALTER TABLE message_threads ADD COLUMN number_class text
  CHECK (number_class IN ('front_desk', 'sitter', 'pool'));
ALTER TABLE message_threads ADD COLUMN message_number_id bigint
  REFERENCES message_numbers (id) ON DELETE SET NULL;
ALTER TABLE message_threads ADD COLUMN is_one_time_client boolean;
ALTER TABLE message_threads ADD COLUMN is_meet_and_greet boolean NOT NULL DEFAULT false;
ALTER TABLE message_threads ADD COLUMN meet_and_greet_approved_at timestamptz;

CREATE TABLE sitter_masked_numbers (
  id bigint PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  sitter_id bigint NOT NULL REFERENCES sitters (id) ON DELETE CASCADE,
  message_number_id bigint NOT NULL REFERENCES message_numbers (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  UNIQUE (sitter_id, message_number_id)
);

-- Phase 2 and 3 preparation: created empty.
CREATE TABLE assignment_windows (
  id bigint PRIMARY KEY,
  thread_id bigint NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
  sitter_id bigint NOT NULL REFERENCES sitters (id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);

CREATE TABLE anti_poaching_attempts (
  id bigint PRIMARY KEY,
  thread_id bigint NOT NULL REFERENCES message_threads (id) ON DELETE CASCADE,
  sitter_id bigint REFERENCES sitters (id) ON DELETE SET NULL,
  detected_pattern text NOT NULL,
  message_excerpt text,
  created_at timestamptz NOT NULL
);

-- Phase 1.4 backfill. Every statement only fills what is still NULL, so a
-- second run changes nothing (the seed's idempotence requirement).

-- 1. Exactly one front desk per org: its first active number. Orgs without an
--    active number get none; the gate reports them instead of failing here.
UPDATE message_numbers SET number_class = 'front_desk'
WHERE number_class IS NULL
  AND id = (SELECT x.id FROM message_numbers x
            WHERE x.org_id = message_numbers.org_id AND x.is_active = true
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
                                       AND b.is_recurring = true)
WHERE is_one_time_client IS NULL;
