"""GridCommand core: configuration, domain, storage, services; no web framework wiring at import time."""
