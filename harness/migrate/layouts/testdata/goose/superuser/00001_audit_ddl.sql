-- An event trigger needs the superuser: the database owner the gate runs
-- migrations as is refused, unless the folder is declared privileged.
-- +goose Up
CREATE FUNCTION audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
END
$$;
CREATE EVENT TRIGGER audit_ddl ON ddl_command_end EXECUTE FUNCTION audit_ddl();

-- +goose Down
DROP EVENT TRIGGER audit_ddl;
DROP FUNCTION audit_ddl();
