-- Run by migrations/code/timers_timezone.cc once active_timers and the
-- timezone column exist.
-- See reminders.postgres.sql. Timestamps are stored as PostgreSQL prints them
-- ('YYYY-MM-DD HH:MM:SS[.ffffff]+00'); the state_data holds RFC 3339 with 'T'
-- and 'Z', so the conversion is textual. callback_data is written in jsonb's
-- canonical text (keys by length, then bytes) so both engines hold one value.
INSERT INTO active_timers (id, participant_id, flow_type, timer_type, callback_type,
                           callback_data, fire_at, created_at)
SELECT -f.id, f.participant_id, 'conversation', 'once', 'reminder',
       '{"kind": "daily_prompt_reminder", "migratedFrom": "flow_states", "participantId": '
         || json_quote(f.participant_id) || '}',
       replace(replace(json_extract(f.state_data, '$.dailyPromptPending.reminderDueAt'),
                       'T', ' '), 'Z', '+00'),
       f.updated_at
FROM flow_states f
WHERE f.flow_type = 'conversation'
  AND json_type(f.state_data, '$.dailyPromptPending') IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM active_timers t
                  WHERE t.participant_id = f.participant_id
                    AND t.flow_type = 'conversation' AND t.callback_type = 'reminder');
