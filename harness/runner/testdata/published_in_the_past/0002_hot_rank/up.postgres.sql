CREATE FUNCTION hot_rank(published timestamp) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT floor(10000 * log(3) /
    power(((EXTRACT(EPOCH FROM (timezone('utc', now()) - published)) / 3600) + 2), 1.8))::integer
$$;
CREATE MATERIALIZED VIEW post_ranks AS SELECT id, hot_rank(published) AS rank FROM posts;
