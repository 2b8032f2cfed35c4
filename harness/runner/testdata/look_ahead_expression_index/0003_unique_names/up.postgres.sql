CREATE UNIQUE INDEX users_name_lower ON users (lower(name));
CREATE UNIQUE INDEX users_live_email ON users (email) WHERE deleted = false;
