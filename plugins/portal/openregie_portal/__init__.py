"""OpenRegie portal: Mijn Regie, where residents take part in their own support."""
