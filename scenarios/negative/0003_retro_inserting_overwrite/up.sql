-- KNOWN BAD (negative case; scenarios/negative/README.md). Seed 000's naive
-- overwrite of the default sequences: a new early step (day 0 + 30 min, an
-- e-mail) goes in front of every default sequence and the existing steps
-- shift one place down, but follow_up_instances.current_step is kept by
-- position instead of being remapped to the step each instance had reached.
-- An instance at current_step k now points at the step before the one it
-- was sent, so the cron tick gives it a step it already passed:
-- no_retro_inserted_steps must fail. SQL only; independent of the C++
-- migration 0003 that does this correctly.

-- Shift in two passes so that UNIQUE (sequence_id, step_order) holds after
-- every row on both engines (neither defers the check to the statement's end).
UPDATE follow_up_steps SET step_order = step_order + 1000
WHERE sequence_id IN (SELECT id FROM follow_up_sequences WHERE name IN
  ('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7', 'Post-Booking Qualification'));
UPDATE follow_up_steps SET step_order = step_order - 999
WHERE step_order > 1000 AND sequence_id IN (SELECT id FROM follow_up_sequences WHERE name IN
  ('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7', 'Post-Booking Qualification'));

-- The new first step. Its id is the negated sequence id (fixture ids are
-- positive), so the down finds exactly these rows.
INSERT INTO follow_up_steps (id, sequence_id, step_order, day_offset, minute_offset, channel,
                             condition, subject, message_template, requires_approval,
                             created_at, updated_at)
SELECT -s.id, s.id, 1, 0, 30, 'email', 'always', 'Thanks for your interest, {firstName}',
       'Hi {firstName}, thanks for your interest in {companyName}. {calendarLink}', FALSE,
       '2026-03-08 12:00:00+00', '2026-03-08 12:00:00+00'
FROM follow_up_sequences s
WHERE s.name IN ('No Response Day 2/5/7', 'Meeting Requested Day 1/2/5/7',
                 'Post-Booking Qualification');

-- follow_up_instances.current_step: deliberately untouched (the bug).
