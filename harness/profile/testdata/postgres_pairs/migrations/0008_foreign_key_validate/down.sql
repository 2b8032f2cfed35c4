-- A validated constraint stays validated.
SELECT 1;
