-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION people_count() RETURNS bigint LANGUAGE plpgsql AS '
BEGIN
  RETURN (SELECT count(*) FROM people);
END;
';
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION people_count();
