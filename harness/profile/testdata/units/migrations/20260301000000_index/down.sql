DROP INDEX events_flag_idx;
