-- A unit of its own: no other version starts with 202603.
CREATE INDEX events_flag_idx ON events (flag);
