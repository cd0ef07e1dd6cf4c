"""Pure geometry for GridCommand: service grids, point location, outage areas, coordinate systems."""
