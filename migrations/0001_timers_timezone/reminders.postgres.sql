-- Run by migrations/code/timers_timezone.cc once active_timers and the
-- timezone column exist.
-- Every reminder pending only in flow_states.state_data gets its active_timers
-- row. A participant that already has a reminder timer (the "both" trap) gets
-- none, so after this migration each pending reminder exists exactly once in
-- active_timers, and the application's mutual exclusion (skip legacy recovery
-- when active_timers has conversation timers) cannot double or drop one.
-- Ids are the negated flow state ids: fixture and application ids are
-- positive, so the down finds exactly these rows (id < 0).
INSERT INTO active_timers (id, participant_id, flow_type, timer_type, callback_type,
                           callback_data, fire_at, created_at)
SELECT -f.id, f.participant_id, 'conversation', 'once', 'reminder',
       jsonb_build_object('kind', 'daily_prompt_reminder', 'migratedFrom', 'flow_states',
                          'participantId', f.participant_id),
       (f.state_data -> 'dailyPromptPending' ->> 'reminderDueAt')::timestamptz,
       f.updated_at
FROM flow_states f
WHERE f.flow_type = 'conversation'
  AND f.state_data ? 'dailyPromptPending'
  AND NOT EXISTS (SELECT 1 FROM active_timers t
                  WHERE t.participant_id = f.participant_id
                    AND t.flow_type = 'conversation' AND t.callback_type = 'reminder');
