ALTER TABLE campaign_transitions DROP COLUMN origin;
DROP TABLE timeout_processing;
