-- Safe: at most 500 rows per transaction.
UPDATE events SET flag = 2 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 2 ORDER BY id LIMIT 500);
UPDATE events SET flag = 2 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 2 ORDER BY id LIMIT 500);
UPDATE events SET flag = 2 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 2 ORDER BY id LIMIT 500);
UPDATE events SET flag = 2 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 2 ORDER BY id LIMIT 500);
UPDATE events SET flag = 2 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 2 ORDER BY id LIMIT 500);
