"""Demo data for a local run: accounts and boundaries (``accounts``), boa's, diensten,
police figures and synthetic incidents (``registratie``)."""
