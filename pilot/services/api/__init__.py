"""Use cases of the API area: tokens (``tokens``), batch writes once per Idempotency-Key
(``batches``) and cursor pagination (``cursor``)."""
