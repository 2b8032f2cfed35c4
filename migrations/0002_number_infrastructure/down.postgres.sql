-- Drops exactly what the up added; the backfill wrote only into these
-- columns and tables, so every previous value is restored (the seed's
-- UPDATE ... SET NULL / 'pool' rollback was lossy and left the schema behind).
DROP TABLE anti_poaching_attempts;
DROP TABLE assignment_windows;
DROP TABLE sitter_masked_numbers;
ALTER TABLE message_threads DROP COLUMN meet_and_greet_approved_at;
ALTER TABLE message_threads DROP COLUMN is_meet_and_greet;
ALTER TABLE message_threads DROP COLUMN is_one_time_client;
ALTER TABLE message_threads DROP COLUMN message_number_id;
ALTER TABLE message_threads DROP COLUMN number_class;
ALTER TABLE message_numbers DROP COLUMN last_assigned_at;
ALTER TABLE message_numbers DROP COLUMN rotation_priority;
ALTER TABLE message_numbers DROP COLUMN is_rotating;
ALTER TABLE message_numbers DROP COLUMN owner_id;
ALTER TABLE message_numbers DROP COLUMN assigned_sitter_id;
ALTER TABLE message_numbers DROP COLUMN number_class;
