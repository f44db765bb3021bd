"""Retention: the beheerder's purge pages."""
