DROP FUNCTION throttle_hit(TEXT[], BIGINT[], BIGINT[], BIGINT);
DROP TABLE throttle_events;
