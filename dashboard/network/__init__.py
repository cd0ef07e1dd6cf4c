"""The distribution network and the judgement (研判) on it: pure code, no database, no clock."""
