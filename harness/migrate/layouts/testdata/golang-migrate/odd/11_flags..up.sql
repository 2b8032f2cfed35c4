ALTER TABLE people ADD COLUMN flags integer;
