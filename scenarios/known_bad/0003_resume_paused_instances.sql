-- KNOWN BAD, appended to migration 0003's up (scenario
-- negative_paused_resumed): the overwrite "fixes" paused instances by
-- resuming them, whatever they were paused for. paused_not_resumed must fail.
UPDATE follow_up_instances SET status = 'active' WHERE status = 'paused';
