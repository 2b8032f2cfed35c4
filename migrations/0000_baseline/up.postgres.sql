-- 0000_baseline (PostgreSQL): the production schema as it stood BEFORE the four
-- changes of shared/seeds/ (000 sequence overwrite, 001 number classes, 002
-- direct timeout transitions, 003 versioned timers/timezone).
--
-- Canonical forms, identical in up.sqlite.sql so both engines hold the same
-- logical data:
--   ids         bigint (SQLite: INTEGER PRIMARY KEY, the rowid), assigned by
--               the writer: no sequence or identity, so a rollback never has
--               to restore a sequence position. The generator numbers rows
--               tenant * 2^20 + n + 1, so loads append in key order and ids
--               pass 2^31 from tenant 2048 on.
--   timestamps  timestamptz here, TEXT in SQLite holding exactly what
--               PostgreSQL prints under TimeZone=UTC, DateStyle=ISO:
--               'YYYY-MM-DD HH:MM:SS[.f{1,6}]+00', fraction without trailing
--               zeros. That text also sorts in time order.
--   booleans    boolean here, INTEGER 0/1 (with a CHECK) in SQLite.
--   json        jsonb here, TEXT in SQLite holding exactly jsonb's output
--               (keys ordered by length then bytes, ", " and ": " separators).
--   floats      double precision here, REAL in SQLite.
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
  id bigint PRIMARY KEY,
  name text NOT NULL,
  company_name text,
  sender_name text,
  calendar_link text,
  timezone text NOT NULL DEFAULT 'America/New_York',
  business_hours_start text NOT NULL DEFAULT '09:00' CHECK (length(business_hours_start) = 5),
  business_hours_end text NOT NULL DEFAULT '17:00' CHECK (length(business_hours_end) = 5),
  business_days text NOT NULL DEFAULT 'mon,tue,wed,thu,fri',
  follow_ups_paused boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE leads (
  id bigint PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  first_name text,
  last_name text,
  email text,
  phone text,
  linkedin_url text,
  company text,
  status text NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'contacted', 'replied', 'meeting_requested', 'meeting_booked',
                      'not_interested', 'unsubscribed')),
  external_crm_id bigint,
  score double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_workspace_id_idx ON leads (workspace_id);

-- Default sequences are recognised by name only ('No Response Day 2/5/7',
-- 'Meeting Requested Day 1/2/5/7', 'Post-Booking Qualification').
CREATE TABLE follow_up_sequences (
  id bigint PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text,
  trigger_on text NOT NULL DEFAULT 'manual'
    CHECK (trigger_on IN ('no_response', 'meeting_requested', 'meeting_booked', 'manual')),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name)
);

-- A step fires day_offset days plus minute_offset minutes after the instance
-- started; step_order is what follow_up_instances.current_step refers to.
CREATE TABLE follow_up_steps (
  id bigint PRIMARY KEY,
  sequence_id bigint NOT NULL REFERENCES follow_up_sequences (id) ON DELETE CASCADE,
  step_order integer NOT NULL CHECK (step_order >= 1),
  day_offset integer NOT NULL CHECK (day_offset >= 0),
  minute_offset integer NOT NULL DEFAULT 0 CHECK (minute_offset >= 0 AND minute_offset < 1440),
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'linkedin')),
  condition text
    CHECK (condition IN ('always', 'no_response', 'has_phone', 'has_linkedin',
                         'linkedin_connected')),
  subject text,
  message_template text NOT NULL,
  requires_approval boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sequence_id, step_order)
);

-- current_step is the step_order of the last step sent (0: none sent yet).
CREATE TABLE follow_up_instances (
  id bigint PRIMARY KEY,
  sequence_id bigint NOT NULL REFERENCES follow_up_sequences (id) ON DELETE CASCADE,
  lead_id bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
  paused_reason text,
  current_step integer NOT NULL DEFAULT 0 CHECK (current_step >= 0),
  next_step_due timestamptz,
  last_step_at timestamptz,
  started_at timestamptz NOT NULL,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_instances_lead_id_idx ON follow_up_instances (lead_id);
CREATE INDEX follow_up_instances_due_idx ON follow_up_instances (status, next_step_due);

-- Work for a human (SMS, LinkedIn, approvals); suggested_message is the step
-- template rendered with lead and workspace data when the task was created.
CREATE TABLE follow_up_tasks (
  id bigint PRIMARY KEY,
  lead_id bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  instance_id bigint REFERENCES follow_up_instances (id) ON DELETE SET NULL,
  step_order integer,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'linkedin', 'call')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'skipped')),
  subject text,
  suggested_message text,
  due_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_tasks_instance_id_idx ON follow_up_tasks (instance_id);

CREATE TABLE campaigns (
  id bigint PRIMARY KEY,
  workspace_id bigint NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'active', 'paused', 'completed', 'archived')),
  timeout_config jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One lead's progress through one campaign's state machine.
CREATE TABLE campaign_executions (
  id bigint PRIMARY KEY,
  campaign_id bigint NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  lead_id bigint NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  current_state text NOT NULL
    CHECK (current_state IN ('initial_sent', 'waiting_for_open', 'waiting_for_click',
                             'follow_up_sent', 'meeting_booked', 'completed', 'failed')),
  status text NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'waiting', 'completed', 'failed', 'cancelled')),
  waiting_since timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, lead_id)
);

-- Before seed 002, a fired timeout inserted a no_open/no_click event with
-- data {"synthetic": true, ...} and ran it through the normal transition path.
CREATE TABLE message_events (
  id bigint PRIMARY KEY,
  execution_id bigint NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  event_type text NOT NULL
    CHECK (event_type IN ('sent', 'delivered', 'opened', 'clicked', 'calendar_click', 'replied',
                          'bounced', 'no_open', 'no_click')),
  data jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_events_execution_id_idx ON message_events (execution_id);
CREATE INDEX message_events_created_at_idx ON message_events (created_at);

CREATE TABLE campaign_transitions (
  id bigint PRIMARY KEY,
  execution_id bigint NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  from_state text NOT NULL,
  to_state text NOT NULL,
  reason text NOT NULL,
  event_id bigint REFERENCES message_events (id) ON DELETE SET NULL,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX campaign_transitions_execution_id_idx ON campaign_transitions (execution_id);

CREATE TABLE timeout_jobs (
  id bigint PRIMARY KEY,
  execution_id bigint NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  timeout_type text NOT NULL CHECK (timeout_type IN ('no_open', 'no_click', 'no_reply')),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE INDEX timeout_jobs_due_idx ON timeout_jobs (status, run_at);

CREATE TABLE scheduled_follow_up_emails (
  id bigint PRIMARY KEY,
  execution_id bigint NOT NULL REFERENCES campaign_executions (id) ON DELETE CASCADE,
  timeout_job_id bigint REFERENCES timeout_jobs (id) ON DELETE SET NULL,
  template_key text NOT NULL,
  subject text,
  send_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'sent', 'cancelled', 'failed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);

-- ---------------------------------------------------------------------------
-- Pet-sitting messaging app (seed 001), before Phase 1.1: numbers have no
-- class, threads link to a number only through its E.164 text.
-- ---------------------------------------------------------------------------

CREATE TABLE orgs (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sitters (
  id bigint PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  first_name text NOT NULL,
  last_name text,
  phone text,
  email text,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sitters_org_id_idx ON sitters (org_id);

CREATE TABLE message_numbers (
  id bigint PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  e164 text NOT NULL UNIQUE,
  provider text NOT NULL DEFAULT 'twilio' CHECK (provider IN ('twilio', 'telnyx')),
  friendly_name text,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_numbers_org_id_idx ON message_numbers (org_id);

CREATE TABLE customers (
  id bigint PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  first_name text,
  last_name text,
  phone text NOT NULL,
  email text,
  notes text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_org_id_idx ON customers (org_id);

-- is_recurring is NULL when nobody recorded whether the booking repeats.
CREATE TABLE bookings (
  id bigint PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  sitter_id bigint REFERENCES sitters (id) ON DELETE SET NULL,
  service text NOT NULL
    CHECK (service IN ('drop_in', 'walk', 'overnight', 'boarding', 'meet_and_greet')),
  status text NOT NULL DEFAULT 'requested'
    CHECK (status IN ('requested', 'confirmed', 'completed', 'cancelled')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  is_recurring boolean,
  recurrence_rule text,
  total_price double precision,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookings_customer_id_idx ON bookings (customer_id);

-- business_number is the org number the client texted, as E.164 text (NULL
-- when unknown); Phase 1.1 adds message_number_id and number_class.
CREATE TABLE message_threads (
  id bigint PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  customer_id bigint REFERENCES customers (id) ON DELETE SET NULL,
  sitter_id bigint REFERENCES sitters (id) ON DELETE SET NULL,
  client_phone text NOT NULL,
  business_number text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'archived')),
  last_message_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_threads_org_id_idx ON message_threads (org_id);

-- ---------------------------------------------------------------------------
-- Conversation bot (seed 003): the tables of the legacy start-up file.
-- ---------------------------------------------------------------------------

CREATE TABLE conversation_participants (
  id bigint PRIMARY KEY,
  phone_number text NOT NULL UNIQUE,
  name text,
  status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'paused', 'completed', 'withdrawn')),
  enrolled_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- state_data holds, among others, the "dailyPromptPending" key that legacy
-- RecoverPendingReminders() reads at start-up.
CREATE TABLE flow_states (
  id bigint PRIMARY KEY,
  participant_id bigint NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type text NOT NULL,
  current_state text NOT NULL,
  state_data jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (participant_id, flow_type)
);

CREATE TABLE active_timers (
  id bigint PRIMARY KEY,
  participant_id bigint NOT NULL REFERENCES conversation_participants (id) ON DELETE CASCADE,
  flow_type text NOT NULL,
  timer_type text NOT NULL CHECK (timer_type IN ('once', 'recurring')),
  callback_type text NOT NULL
    CHECK (callback_type IN ('reminder', 'scheduled_prompt', 'feedback', 'state_transition')),
  callback_data jsonb,
  fire_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX active_timers_participant_id_idx ON active_timers (participant_id);
