-- Legacy start-up schema (SQLite), BEFORE the in-place edit of seed 003.
-- The bot ran this whole file on every start-up; CREATE ... IF NOT EXISTS made
-- the re-runs no-ops. Kept as data for reproducing the seed-003 bug; the
-- versioned migrations never run it. The definitions match 0000_baseline.

CREATE TABLE IF NOT EXISTS conversation_participants (
  id INTEGER PRIMARY KEY,
  phone_number TEXT NOT NULL UNIQUE,
  name TEXT,
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
