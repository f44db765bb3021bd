"""Code lists: the beheerder's page of every list, add a code, correct a label."""
