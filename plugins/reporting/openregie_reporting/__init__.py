"""OpenRegie reporting: aggregate figures for accountability to the municipality."""
