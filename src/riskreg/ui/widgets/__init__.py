"""Widgets: the areas' parts. They take data in and post messages out."""
