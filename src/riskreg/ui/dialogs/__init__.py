"""Modal dialogs: record forms, confirmation, review, link picker, first run, errors."""
