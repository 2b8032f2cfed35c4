-- KNOWN BAD (negative case; scenarios/negative/README.md). Seed 003's
-- in-place edit shipped as a migration: the legacy start-up file after
-- `timezone` was typed into CREATE TABLE IF NOT EXISTS conversation_participants
-- (a copy of migrations/legacy/startup_after_inplace_edit.*.sql). On an
-- existing database every statement below is skipped, so the timezone column
-- never appears: timezone_column_on_existing_tables must fail.

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
