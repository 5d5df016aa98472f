"""Many sites on a job queue: fleet.toml, the Dramatiq actors, the shard ingest and the fleet reports."""
