DELETE FROM people WHERE id = 5;
