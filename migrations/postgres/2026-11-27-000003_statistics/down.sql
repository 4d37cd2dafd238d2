DROP TABLE stat_counters;
DROP TABLE stat_settings;
DROP TABLE visits;
DROP TABLE contact_messages;
DROP TABLE reviews;
