-- 0000_baseline down (postgres): drops every table up.postgres.sql created, children
-- first so no foreign key is left dangling; their indexes go with them.
DROP TABLE active_timers;
DROP TABLE flow_states;
DROP TABLE conversation_participants;
DROP TABLE message_threads;
DROP TABLE bookings;
DROP TABLE customers;
DROP TABLE message_numbers;
DROP TABLE sitters;
DROP TABLE orgs;
DROP TABLE scheduled_follow_up_emails;
DROP TABLE timeout_jobs;
DROP TABLE campaign_transitions;
DROP TABLE message_events;
DROP TABLE campaign_executions;
DROP TABLE campaigns;
DROP TABLE follow_up_tasks;
DROP TABLE follow_up_instances;
DROP TABLE follow_up_steps;
DROP TABLE follow_up_sequences;
DROP TABLE leads;
DROP TABLE workspaces;
