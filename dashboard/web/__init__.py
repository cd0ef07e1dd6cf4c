"""The people's web surface: sign-in and sessions, same-origin writes, throttling, headers, the Dash endpoint."""
