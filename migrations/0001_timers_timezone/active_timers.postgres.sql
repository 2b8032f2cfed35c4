-- Run by migrations/code/timers_timezone.cc on a database that has no
-- active_timers yet (one built from migrations/legacy/startup_before.postgres.sql):
-- the table exactly as 0000_baseline defines it.
CREATE TABLE active_timers (
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
CREATE INDEX active_timers_participant_id_idx ON active_timers (participant_id);
