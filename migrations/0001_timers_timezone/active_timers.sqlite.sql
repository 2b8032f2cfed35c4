-- Run by migrations/code/timers_timezone.cc on a database that has no
-- active_timers yet (one built from migrations/legacy/startup_before.sqlite.sql):
-- the table exactly as 0000_baseline defines it.
CREATE TABLE active_timers (
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
CREATE INDEX active_timers_participant_id_idx ON active_timers (participant_id);
