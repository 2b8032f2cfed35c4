-- KNOWN BAD, appended to migration 0003's up (scenario
-- negative_pending_tasks_not_rendered): pending tasks get their step's raw
-- template, placeholders and all, instead of the rendered copy.
-- pending_tasks_rerendered must fail.
UPDATE follow_up_tasks
SET suggested_message = (SELECT st.message_template FROM follow_up_steps st
                         JOIN follow_up_instances i ON i.sequence_id = st.sequence_id
                         WHERE i.id = follow_up_tasks.instance_id
                           AND st.step_order = follow_up_tasks.step_order)
WHERE status = 'pending' AND instance_id IS NOT NULL;
