DROP INDEX users_live_email;
DROP INDEX users_name_lower;
