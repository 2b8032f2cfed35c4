ALTER TABLE people RENAME COLUMN nick TO nickname;
