"""The executive page (/executive): tiles against the commitments, trends, ranking, map, reliability, staffing."""
