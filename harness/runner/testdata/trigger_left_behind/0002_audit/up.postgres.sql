CREATE FUNCTION people_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.score := NEW.score; RETURN NEW; END $$;
CREATE TRIGGER people_touch BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION people_touch();
