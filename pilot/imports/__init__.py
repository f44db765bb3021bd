"""File import for a coordinator: template, upload, preview, confirm."""
