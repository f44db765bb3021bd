"""The versioned JSON API under ``/api/v1`` and the pages that manage its tokens.

``blueprint`` (the ``api`` blueprint), ``auth`` (tokens, scopes, throttling, the audit of
every call), ``problems`` (RFC 9457 errors with Dutch messages), ``schemas`` (pydantic
models: validation of the shape, and the OpenAPI document via spectree), ``openapi``
(the document and its documentation page), one module per resource, and ``tokens`` (the
web pages where a beheerder or coordinator issues and revokes tokens).
"""
