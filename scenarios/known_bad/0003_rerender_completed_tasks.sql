-- KNOWN BAD, appended to migration 0003's up (scenario
-- negative_completed_tasks_rewritten): the re-render also rewrites the copy
-- of tasks that were already sent. completed_tasks_untouched must fail.
UPDATE follow_up_tasks SET suggested_message = coalesce(suggested_message, '') || ' (updated copy)'
WHERE status = 'completed';
