-- A repair of derived values cannot be undone, nor needs to be.
SELECT 1;
