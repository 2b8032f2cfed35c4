DROP TABLE sites;
DROP TABLE instances;
