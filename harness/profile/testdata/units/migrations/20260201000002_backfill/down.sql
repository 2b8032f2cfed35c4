UPDATE events SET flag2 = NULL;
