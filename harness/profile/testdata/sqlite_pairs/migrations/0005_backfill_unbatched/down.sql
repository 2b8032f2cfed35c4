UPDATE events SET flag = 0;
