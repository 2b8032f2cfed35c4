DROP TABLE active_timers;
