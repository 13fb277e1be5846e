"""PySide6 widgets, models and dialogs."""
