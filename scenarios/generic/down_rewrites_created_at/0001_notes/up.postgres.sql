CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO notes (id, body, created_at) VALUES (1, 'first', '2020-01-01 00:00:00+00'),
                                                (2, 'second', '2021-06-01 12:30:00+00');
