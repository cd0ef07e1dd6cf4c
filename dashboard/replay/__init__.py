"""Replay for drills (应急演练) and reviews: the wall's state at any instant from the event log, and its playback."""
