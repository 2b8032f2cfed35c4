DROP TABLE events;
DROP TABLE accounts;
