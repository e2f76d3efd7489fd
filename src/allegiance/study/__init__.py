"""Studies: questions answered end to end, and the overview of the flagship region."""
