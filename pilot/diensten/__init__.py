"""Diensten (enforcement shifts) of a gemeente: list, record, edit."""
