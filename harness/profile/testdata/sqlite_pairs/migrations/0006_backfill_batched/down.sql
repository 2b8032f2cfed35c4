UPDATE events SET flag = 1 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 1 ORDER BY id LIMIT 500);
UPDATE events SET flag = 1 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 1 ORDER BY id LIMIT 500);
UPDATE events SET flag = 1 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 1 ORDER BY id LIMIT 500);
UPDATE events SET flag = 1 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 1 ORDER BY id LIMIT 500);
UPDATE events SET flag = 1 WHERE id IN (SELECT id FROM events WHERE flag IS NOT 1 ORDER BY id LIMIT 500);
