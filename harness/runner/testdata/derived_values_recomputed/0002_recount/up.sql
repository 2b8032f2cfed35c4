-- Recount what a buggy trigger counted wrong: deleted posts do not count.
UPDATE
    author_stats
SET
    post_count = c.n
FROM (
    SELECT author_id, count(*) AS n FROM posts WHERE NOT deleted GROUP BY author_id) AS c
WHERE
    author_stats.author_id = c.author_id;
-- Authors of the local site's instance are local.
UPDATE authors SET local = TRUE
WHERE NOT local AND instance_id IN (SELECT instance_id FROM sites);
