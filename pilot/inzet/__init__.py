"""Enforcement effort (diensten) and police figures per month."""
