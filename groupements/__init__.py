"""Groupements: a parent establishment lists its child establishments in a spreadsheet."""
