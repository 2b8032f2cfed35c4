-- Legacy start-up schema (PostgreSQL), BEFORE the in-place edit of seed 003.
-- The bot ran this whole file on every start-up; CREATE ... IF NOT EXISTS made
-- the re-runs no-ops. Kept as data for reproducing the seed-003 bug; the
-- versioned migrations never run it. The definitions match 0000_baseline.

CREATE TABLE IF NOT EXISTS conversation_participants (
  id bigint PRIMARY KEY,
  phone_number text NOT NULL UNIQUE,
  name text,
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
