-- 0000_baseline (SQLite): the production schema as it stood BEFORE the four
-- changes of shared/seeds/; the same tables, columns (in the same order), keys
-- and CHECKs as up.postgres.sql, whose header states the canonical forms:
--   ids         INTEGER PRIMARY KEY (the rowid; 64-bit like PostgreSQL's
--               bigint). Unlike PostgreSQL, SQLite assigns one when an INSERT
--               gives NULL; the generator always gives them.
--   timestamps  TEXT in PostgreSQL's UTC ISO output form
--               'YYYY-MM-DD HH:MM:SS[.f{1,6}]+00' (no trailing zeros in the
--               fraction), so text order is time order and both engines print
--               the same bytes. Defaults use the same form.
--   booleans    INTEGER 0/1 with a CHECK.
--   json        TEXT in jsonb's output form, checked with json_valid() (NULL
--               spelled out: SQLite before 3.45 says json_valid(NULL) = 0).
--   floats      REAL. Note: REAL affinity stores integral values as integers,
--               so -0.0 comes back as 0.0 on SQLite; PostgreSQL keeps -0.
--
-- conversation_participants has no timezone column (the seed-003 bug), but
-- active_timers exists: production ran the edited start-up file of
-- migrations/legacy/ on an existing database, which created the new table and
-- silently skipped the column.

-- ---------------------------------------------------------------------------
-- Outreach app (seed 000 follow-up sequences, seed 002 campaigns)
-- ---------------------------------------------------------------------------

-- A client workspace; its settings fill the {companyName}, {senderName} and
-- {calendarLink} placeholders and bound when follow-ups may be sent.
CREATE TABLE workspaces (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company_name TEXT,
  sender_name TEXT,
  calendar_link TEXT,
  timezone TEXT NOT NULL DEFAULT 'America/New_York',
  business_hours_start TEXT NOT NULL DEFAULT '09:00' CHECK (length(business_hours_start) = 5),
  business_hours_end TEXT NOT NULL DEFAULT '17:00' CHECK (length(business_hours_end) = 5),
  business_days TEXT NOT NULL DEFAULT 'mon,tue,wed,thu,fri',
  follow_ups_paused INTEGER NOT NULL DEFAULT 0 CHECK (follow_ups_paused IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);

CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  first_name TEXT,
  last_name TEXT,
  email TEXT,
  phone TEXT,
  linkedin_url TEXT,
  company TEXT,
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'contacted', 'replied', 'meeting_requested', 'meeting_booked',
                      'not_interested', 'unsubscribed')),
  external_crm_id INTEGER,
  score REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX leads_workspace_id_idx ON leads (workspace_id);

-- Default sequences are recognised by name only ('No Response Day 2/5/7',
-- 'Meeting Requested Day 1/2/5/7', 'Post-Booking Qualification').
CREATE TABLE follow_up_sequences (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  trigger_on TEXT NOT NULL DEFAULT 'manual'
    CHECK (trigger_on IN ('no_response', 'meeting_requested', 'meeting_booked', 'manual')),
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  UNIQUE (workspace_id, name)
);

-- A step fires day_offset days plus minute_offset minutes after the instance
-- started; step_order is what follow_up_instances.current_step refers to.
CREATE TABLE follow_up_steps (
  id INTEGER PRIMARY KEY,
  sequence_id INTEGER NOT NULL REFERENCES follow_up_sequences (id) ON DELETE CASCADE,
  step_order INTEGER NOT NULL CHECK (step_order >= 1),
  day_offset INTEGER NOT NULL CHECK (day_offset >= 0),
  minute_offset INTEGER NOT NULL DEFAULT 0 CHECK (minute_offset >= 0 AND minute_offset < 1440),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'linkedin')),
  condition TEXT
    CHECK (condition IN ('always', 'no_response', 'has_phone', 'has_linkedin',
                         'linkedin_connected')),
  subject TEXT,
  message_template TEXT NOT NULL,
  requires_approval INTEGER NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  UNIQUE (sequence_id, step_order)
);

-- current_step is the step_order of the last step sent (0: none sent yet).
CREATE TABLE follow_up_instances (
  id INTEGER PRIMARY KEY,
  sequence_id INTEGER NOT NULL REFERENCES follow_up_sequences (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
  paused_reason TEXT,
  current_step INTEGER NOT NULL DEFAULT 0 CHECK (current_step >= 0),
  next_step_due TEXT,
  last_step_at TEXT,
  started_at TEXT NOT NULL,
  completed_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX follow_up_instances_lead_id_idx ON follow_up_instances (lead_id);
CREATE INDEX follow_up_instances_due_idx ON follow_up_instances (status, next_step_due);

-- Work for a human (SMS, LinkedIn, approvals); suggested_message is the step
-- template rendered with lead and workspace data when the task was created.
CREATE TABLE follow_up_tasks (
  id INTEGER PRIMARY KEY,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  instance_id INTEGER REFERENCES follow_up_instances (id) ON DELETE SET NULL,
  step_order INTEGER,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'linkedin', 'call')),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'skipped')),
  subject TEXT,
  suggested_message TEXT,
  due_at TEXT,
  completed_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX follow_up_tasks_instance_id_idx ON follow_up_tasks (instance_id);

CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'active', 'paused', 'completed', 'archived')),
  timeout_config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(timeout_config)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);

-- One lead's progress through one campaign's state machine.
CREATE TABLE campaign_executions (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  current_state TEXT NOT NULL
    CHECK (current_state IN ('initial_sent', 'waiting_for_open', 'waiting_for_click',
                             'follow_up_sent', 'meeting_booked', 'completed', 'failed')),
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'cancelled')),
  waiting_since TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  UNIQUE (campaign_id, lead_id)
);

-- Before seed 002, a fired timeout inserted a no_open/no_click event with
-- data {"synthetic": true, ...} and ran it through the normal transition path.
CREATE TABLE message_events (
  id INTEGER PRIMARY KEY,
  execution_id INTEGER NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  event_type TEXT NOT NULL
    CHECK (event_type IN ('sent', 'delivered', 'opened', 'clicked', 'calendar_click', 'replied',
                          'bounced', 'no_open', 'no_click')),
  data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  occurred_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX message_events_execution_id_idx ON message_events (execution_id);
CREATE INDEX message_events_created_at_idx ON message_events (created_at);

CREATE TABLE campaign_transitions (
  id INTEGER PRIMARY KEY,
  execution_id INTEGER NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  event_id INTEGER REFERENCES message_events (id) ON DELETE SET NULL,
  occurred_at TEXT NOT NULL
);
CREATE INDEX campaign_transitions_execution_id_idx ON campaign_transitions (execution_id);

CREATE TABLE timeout_jobs (
  id INTEGER PRIMARY KEY,
  execution_id INTEGER NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  timeout_type TEXT NOT NULL CHECK (timeout_type IN ('no_open', 'no_click', 'no_reply')),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  run_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  processed_at TEXT
);
CREATE INDEX timeout_jobs_due_idx ON timeout_jobs (status, run_at);

CREATE TABLE scheduled_follow_up_emails (
  id INTEGER PRIMARY KEY,
  execution_id INTEGER NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  timeout_job_id INTEGER REFERENCES timeout_jobs (id) ON DELETE SET NULL,
  template_key TEXT NOT NULL,
  subject TEXT,
  send_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'sent', 'cancelled', 'failed')),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  sent_at TEXT
);

-- ---------------------------------------------------------------------------
-- Pet-sitting messaging app (seed 001), before Phase 1.1: numbers have no
-- class, threads link to a number only through its E.164 text.
-- ---------------------------------------------------------------------------

CREATE TABLE orgs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);

CREATE TABLE sitters (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  first_name TEXT NOT NULL,
  last_name TEXT,
  phone TEXT,
  email TEXT,
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX sitters_org_id_idx ON sitters (org_id);

CREATE TABLE message_numbers (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  e164 TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL DEFAULT 'twilio' CHECK (provider IN ('twilio', 'telnyx')),
  friendly_name TEXT,
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX message_numbers_org_id_idx ON message_numbers (org_id);

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  first_name TEXT,
  last_name TEXT,
  phone TEXT NOT NULL,
  email TEXT,
  notes TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX customers_org_id_idx ON customers (org_id);

-- is_recurring is NULL when nobody recorded whether the booking repeats.
CREATE TABLE bookings (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  sitter_id INTEGER REFERENCES sitters (id) ON DELETE SET NULL,
  service TEXT NOT NULL
    CHECK (service IN ('drop_in', 'walk', 'overnight', 'boarding', 'meet_and_greet')),
  status TEXT NOT NULL DEFAULT 'requested'
    CHECK (status IN ('requested', 'confirmed', 'completed', 'cancelled')),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  is_recurring INTEGER CHECK (is_recurring IN (0, 1)),
  recurrence_rule TEXT,
  total_price REAL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX bookings_customer_id_idx ON bookings (customer_id);

-- business_number is the org number the client texted, as E.164 text (NULL
-- when unknown); Phase 1.1 adds message_number_id and number_class.
CREATE TABLE message_threads (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
  sitter_id INTEGER REFERENCES sitters (id) ON DELETE SET NULL,
  client_phone TEXT NOT NULL,
  business_number TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'archived')),
  last_message_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX message_threads_org_id_idx ON message_threads (org_id);

-- ---------------------------------------------------------------------------
-- Conversation bot (seed 003): the tables of the legacy start-up file.
-- ---------------------------------------------------------------------------

CREATE TABLE conversation_participants (
  id INTEGER PRIMARY KEY,
  phone_number TEXT NOT NULL UNIQUE,
  name TEXT,
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'completed', 'withdrawn')),
  enrolled_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);

-- state_data holds, among others, the "dailyPromptPending" key that legacy
-- RecoverPendingReminders() reads at start-up.
CREATE TABLE flow_states (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type TEXT NOT NULL,
  current_state TEXT NOT NULL,
  state_data TEXT CHECK (state_data IS NULL OR json_valid(state_data)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now')),
  UNIQUE (participant_id, flow_type)
);

CREATE TABLE active_timers (
  id INTEGER PRIMARY KEY,
  participant_id INTEGER NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type TEXT NOT NULL,
  timer_type TEXT NOT NULL CHECK (timer_type IN ('once', 'recurring')),
  callback_type TEXT NOT NULL
    CHECK (callback_type IN ('reminder', 'scheduled_prompt', 'feedback', 'state_transition')),
  callback_data TEXT CHECK (callback_data IS NULL OR json_valid(callback_data)),
  fire_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S+00', 'now'))
);
CREATE INDEX active_timers_participant_id_idx ON active_timers (participant_id);
