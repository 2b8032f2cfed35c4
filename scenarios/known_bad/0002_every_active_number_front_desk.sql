-- KNOWN BAD, appended to migration 0002's up (scenario negative_two_front_desks):
-- a backfill that makes every active number a front desk instead of the
-- org's first one. one_front_desk_per_org must fail.
UPDATE message_numbers SET number_class = 'front_desk' WHERE is_active = true;
