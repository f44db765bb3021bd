"""The health endpoint for load balancers and monitoring."""
