DROP INDEX events_amount_idx;
