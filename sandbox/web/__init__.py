"""The web application: one blueprint package per feature."""
