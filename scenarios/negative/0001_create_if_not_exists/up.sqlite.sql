-- KNOWN BAD (negative case; scenarios/negative/README.md). Seed 003's
-- in-place edit shipped as a migration: the legacy start-up file after
-- `timezone` was typed into CREATE TABLE IF NOT EXISTS conversation_participants
-- (a copy of migrations/legacy/startup_after_inplace_edit.*.sql). On an
-- existing database every statement below is skipped, so the timezone column
-- never appears: timezone_column_on_existing_tables must fail.

CREATE TABLE IF NOT EXISTS conversation_participants (
  id INTEGER PRIMARY KEY,
  phone_number TEXT NOT NULL UNIQUE,
  name TEXT,
  timezone TEXT,
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'completed', 'withdrawn')),
  enrolled_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);

CREATE TABLE IF NOT EXISTS flow_states (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type TEXT NOT NULL,
  current_state TEXT NOT NULL,
  state_data TEXT CHECK (state_data IS NULL OR json_valid(state_data)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  UNIQUE (participant_id, flow_type)
);

CREATE TABLE IF NOT EXISTS active_timers (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type TEXT NOT NULL,
  timer_type TEXT NOT NULL CHECK (timer_type IN ('once', 'recurring')),
  callback_type TEXT NOT NULL
    CHECK (callback_type IN ('reminder', 'scheduled_prompt', 'feedback', 'state_transition')),
  callback_data TEXT CHECK (callback_data IS NULL OR json_valid(callback_data)),
  fire_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX IF NOT EXISTS active_timers_participant_id_idx ON active_timers (participant_id);
