DELETE FROM active_timers WHERE id < 0;
-- ADD COLUMN appended ", timezone TEXT" to the stored CREATE text and DROP
-- COLUMN removes exactly that, so the DDL text is restored byte for byte.
ALTER TABLE conversation_participants DROP COLUMN timezone;
