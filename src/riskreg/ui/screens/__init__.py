"""Full screens: the main screen (the area bar over the areas), a record in full, help."""
