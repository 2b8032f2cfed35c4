-- Known bad: the down names a table that does not exist.
DROP TABLE events_other;
