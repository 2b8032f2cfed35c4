-- Edited after production applied it: the timezone column was added here
-- instead of in a new migration.
CREATE TABLE IF NOT EXISTS conversation_participants (
  id bigint PRIMARY KEY,
  display_name text NOT NULL,
  timezone text
);
