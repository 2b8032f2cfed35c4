-- With 20260201000002: one unit under --unit prefix:6 (released together in 2026-02).
ALTER TABLE events ADD COLUMN flag2 integer;
