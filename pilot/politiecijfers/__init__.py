"""Police figures per gemeente and month: list, enter or correct."""
