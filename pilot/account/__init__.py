"""Every user's own account: password and two-step verification."""
