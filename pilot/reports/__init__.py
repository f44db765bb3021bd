"""Report downloads: per-gemeente and aggregate PDF reports."""
