DROP TABLE author_stats;
DROP TABLE posts;
DROP TABLE authors;
DROP TABLE sites;
