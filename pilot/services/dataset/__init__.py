"""The pseudonymised evaluation dataset and its codebook."""
