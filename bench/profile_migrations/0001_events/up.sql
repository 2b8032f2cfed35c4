-- The table profile_bench profiles a migration on: REHEARSE_PROFILE_BENCH_ROWS
-- rows (default 1M) are inserted by the benchmark itself.
CREATE TABLE events (id integer PRIMARY KEY, amount integer, note text);
