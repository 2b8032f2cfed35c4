-- The wider column is kept: narrowing it would rewrite the table.
SELECT 1;
