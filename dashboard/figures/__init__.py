"""Pure figures: formulas over plain records, free of the database and the clock, each tested on worked examples."""
