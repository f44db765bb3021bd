"""Retention: purging incident-level data while the aggregates survive.

``frozen`` reads the counts frozen at a purge (for the outsider publication, the
gemeente's own report and the incident rules); ``purge`` plans and carries out a purge:
freeze the counts, delete the incident rows, clear their audit payloads, remove uploads.
"""
