-- KNOWN BAD, appended to migration 0004's down (scenario
-- negative_rollback_resumes_paused): the rollback "cleans up" by resuming
-- paused instances. After it the cron tick sends what it held back before the
-- migration; workloads_after_rollback must fail (and rollback_identical with it).
UPDATE follow_up_instances SET status = 'active' WHERE status = 'paused';
