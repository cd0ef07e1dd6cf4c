"""The admin page (/admin): grid contacts, the notices' history and dead letters, the audit log."""
