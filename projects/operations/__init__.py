"""Running the tracker: backup and restore, the health check, load test, bench, seed_scale."""
