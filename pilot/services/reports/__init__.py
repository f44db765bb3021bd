"""PDF reports per gemeente and for the whole pilot: ``figures`` (SQL aggregates),
``periods``, ``charts``, ``pdf`` (weasyprint), ``fingerprint`` and ``build`` (the use cases)."""
