DROP MATERIALIZED VIEW post_ranks;
DROP FUNCTION hot_rank(timestamp);
