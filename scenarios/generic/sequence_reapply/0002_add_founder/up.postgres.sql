-- KNOWN BAD: the row's key comes from a sequence the down cannot rewind, so
-- up, down, up gives the founder another id. The down leaves only a
-- sequence position behind (a warning), but reapply_identical must fail.
INSERT INTO people (id, name) VALUES (nextval('people_ids'), 'founder');
