"""Boa screens of a gemeente: register, edit, deactivate, find by personnel number."""
