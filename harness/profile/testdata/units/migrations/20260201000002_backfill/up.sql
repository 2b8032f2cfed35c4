-- Known bad: an unbatched backfill; the unit that holds it is flagged.
UPDATE events SET flag2 = 1;
