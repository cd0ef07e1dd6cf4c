"""Notices to the people responsible (grid managers, liaisons): the notifier port, its adapters, the outbox, the
worker that sends it, and the rules of what is told when."""
