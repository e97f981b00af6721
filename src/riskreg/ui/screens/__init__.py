"""Full screens: the main screen (tabs over the areas), a record in full, help."""
