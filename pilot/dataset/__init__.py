"""The evaluation dataset download."""
