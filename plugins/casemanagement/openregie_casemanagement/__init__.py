"""OpenRegie case management: cases of households and one family, one plan."""
