-- KNOWN BAD (negative case). Seed 001's documented rollback, adapted to our
-- names ("MessageThread"."messageNumberId" is message_threads.message_number_id,
-- and so on):
--
--   UPDATE "MessageThread" SET "messageNumberId" = NULL, "numberClass" = NULL;
--   DELETE FROM "SitterMaskedNumber";
--   UPDATE "MessageNumber" SET "numberClass" = 'pool', "assignedSitterId" = NULL, "ownerId" = NULL;
--
-- It is lossy: every number becomes 'pool' (the front desk is forgotten), and
-- the Phase 1.1 columns and tables stay behind, so the database after this
-- down is not the database before the up. rollback_identical must fail.
UPDATE message_threads SET message_number_id = NULL, number_class = NULL;
DELETE FROM sitter_masked_numbers;
UPDATE message_numbers SET number_class = 'pool', assigned_sitter_id = NULL, owner_id = NULL;
