CREATE TABLE active_timers (
  id bigint PRIMARY KEY,
  participant_id bigint NOT NULL REFERENCES conversation_participants (id),
  fire_at text NOT NULL
);
