"""The dispatcher console (/console): the order list, the map beside it, the order's desk (detail, crews, actions)."""
