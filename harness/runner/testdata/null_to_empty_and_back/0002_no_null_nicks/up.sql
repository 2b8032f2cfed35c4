UPDATE people SET nick = '' WHERE nick IS NULL;
