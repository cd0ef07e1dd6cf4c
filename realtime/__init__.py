"""Adapters for the EventBus port (in-process, Redis) and the Socket.IO bridge that pushes updates."""
