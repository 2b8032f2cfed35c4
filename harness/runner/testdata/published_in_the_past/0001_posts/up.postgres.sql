CREATE TABLE posts (id serial PRIMARY KEY, title text, published timestamp NOT NULL DEFAULT now());
