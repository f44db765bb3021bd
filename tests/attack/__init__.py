"""An honest outsider attack on every figure the application publishes.

The attacker knows only what an outsider can fetch over HTTP with their own log-in
(``collect``), the public code lists (``pilot.codes``, the codebook) and the sums a
statistician reads off the reports' own definitions (``relations``). It does not import
the disclosure engine: it rebuilds the tables from the outputs, writes every relation it
knows as a linear program and asks HiGHS how far each hidden figure can be narrowed
(``solve``). ``truth`` reads the database, for failure messages only.

Modules: ``collect`` (HTTP: reports page, PDFs, CSV, map pages and downloads, dataset),
``pdf`` (the figures a PDF prints, read back from its text), ``published`` (every figure
under one key, with the checks that the outputs agree), ``relations`` (the linear program),
``solve`` (min and max of every hidden cell), ``truth`` (true values, for messages).
"""
