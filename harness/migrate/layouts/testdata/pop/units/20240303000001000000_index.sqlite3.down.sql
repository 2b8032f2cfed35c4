DROP INDEX people_name_idx;
