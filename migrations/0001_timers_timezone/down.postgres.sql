DELETE FROM active_timers WHERE id LIKE 'mig0001-%';
ALTER TABLE conversation_participants DROP COLUMN timezone;
