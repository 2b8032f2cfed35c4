-- Known bad: CREATE INDEX holds SHARE (writes block) while it builds.
CREATE INDEX events_amount_idx ON events (amount);
