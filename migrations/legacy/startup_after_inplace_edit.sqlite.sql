-- Legacy start-up schema (SQLite), AFTER the in-place edit of seed 003:
-- `timezone` was typed into the CREATE TABLE of conversation_participants and
-- active_timers was appended. Run on a database that startup_before already
-- built, the new table appears but the column never does, because CREATE
-- TABLE IF NOT EXISTS skips an existing table whatever its definition says.
-- On a fresh database the column exists, after `name`: a later ALTER TABLE ...
-- ADD COLUMN fix appends it at the end instead, so even the fixed upgrade
-- differs from a fresh install in column order.

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
