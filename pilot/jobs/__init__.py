"""Background jobs: a user's page with the progress and, when ready, the result."""
