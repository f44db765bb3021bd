"""A coordinator's incident registration: form with map, list, detail, edit, withdraw."""
