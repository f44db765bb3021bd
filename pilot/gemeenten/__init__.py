"""Gemeenten: the beheerder's list and edit screens and a gemeente's start page."""
