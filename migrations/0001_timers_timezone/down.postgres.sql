DELETE FROM active_timers WHERE id < 0;
ALTER TABLE conversation_participants DROP COLUMN timezone;
