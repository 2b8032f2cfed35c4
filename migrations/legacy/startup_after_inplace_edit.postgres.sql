-- Legacy start-up schema (PostgreSQL), AFTER the in-place edit of seed 003:
-- `timezone` was typed into the CREATE TABLE of conversation_participants and
-- active_timers was appended. Run on a database that startup_before already
-- built, the new table appears but the column never does, because CREATE
-- TABLE IF NOT EXISTS skips an existing table whatever its definition says.
-- On a fresh database the column exists, after `name`: a later ALTER TABLE ...
-- ADD COLUMN fix appends it at the end instead, so even the fixed upgrade
-- differs from a fresh install in column order.

CREATE TABLE IF NOT EXISTS conversation_participants (
  id bigint PRIMARY KEY,
  phone_number text NOT NULL UNIQUE,
  name text,
  timezone text,
  status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'completed', 'withdrawn')),
  enrolled_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS flow_states (
  id bigint PRIMARY KEY,
  participant_id bigint NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type text NOT NULL,
  current_state text NOT NULL,
  state_data jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (participant_id, flow_type)
);

CREATE TABLE IF NOT EXISTS active_timers (
  id bigint PRIMARY KEY,
  participant_id bigint NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type text NOT NULL,
  timer_type text NOT NULL CHECK (timer_type IN ('once', 'recurring')),
  callback_type text NOT NULL
    CHECK (callback_type IN ('reminder', 'scheduled_prompt', 'feedback', 'state_transition')),
  callback_data jsonb,
  fire_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS active_timers_participant_id_idx ON active_timers (participant_id);
