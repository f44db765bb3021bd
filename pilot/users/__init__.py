"""User accounts: the beheerder's list, create, deactivate and reactivate screens."""
