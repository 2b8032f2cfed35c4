ALTER TABLE events DROP CONSTRAINT events_amount_known;
