-- KNOWN BAD, appended to migration 0002's up (scenario
-- negative_threads_left_without_number): threads get a number only when the
-- client texted one of the org's numbers, with no front-desk fallback.
-- no_thread_without_number must fail.
UPDATE message_threads SET message_number_id = NULL, number_class = NULL
WHERE business_number IS NULL
   OR business_number NOT IN (SELECT m.e164 FROM message_numbers m
                              WHERE m.org_id = message_threads.org_id);
