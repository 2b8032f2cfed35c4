DELETE FROM people WHERE name = 'founder';
