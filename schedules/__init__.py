"""When audits run: the nightly self-inspection daemon, incremental runs, probes and alerts."""
