"""Services: each takes a session (and the bus, when it changes something), commits, then publishes."""
