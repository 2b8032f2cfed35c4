UPDATE people SET nick = NULL WHERE nick = '';
