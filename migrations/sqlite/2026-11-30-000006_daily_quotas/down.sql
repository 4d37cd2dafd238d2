DROP TABLE daily_quotas;
