-- KNOWN BAD, appended to migration 0002's up (scenario
-- negative_class_from_recurrence): the thread's class guessed from the
-- client's recurrence instead of taken from its assigned number.
-- number_class_from_assigned_number must fail.
UPDATE message_threads
SET number_class = CASE WHEN is_one_time_client = true THEN 'pool' ELSE 'front_desk' END
WHERE message_number_id IS NOT NULL;
