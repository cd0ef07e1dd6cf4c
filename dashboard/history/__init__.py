"""The demo's believable history: a year of orders, outages, calls and service work, generated once into the
ordinary tables at calm-weather rates with a few storms (docs/history.md)."""
