-- KNOWN BAD (negative case): the exact inverse of up.sql, so that the
-- negative case fails only the check it is about (no_retro_inserted_steps),
-- not rollback_identical.
DELETE FROM follow_up_steps WHERE id < 0 AND sequence_id = -id AND step_order = 1;
UPDATE follow_up_steps SET step_order = step_order + 1000
WHERE sequence_id IN (SELECT id FROM follow_up_sequences WHERE name IN
  ('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7', 'Post-Booking Qualification'));
UPDATE follow_up_steps SET step_order = step_order - 1001
WHERE step_order > 1000 AND sequence_id IN (SELECT id FROM follow_up_sequences WHERE name IN
  ('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7', 'Post-Booking Qualification'));
