CREATE TABLE IF NOT EXISTS conversation_participants (
  id bigint PRIMARY KEY,
  display_name text NOT NULL
);
