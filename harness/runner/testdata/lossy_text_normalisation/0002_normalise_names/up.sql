UPDATE people SET name = lower(trim(name));
