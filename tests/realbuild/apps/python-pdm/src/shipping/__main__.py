"""Prints the quote for each parcel as a table."""

from tabulate import tabulate

RATE_PER_KG = 1.75
PARCELS = [("letters", 0.4), ("books", 3.2), ("lamp", 5.5)]

rows = [(name, kg, f"{max(kg, 1.0) * RATE_PER_KG:.2f}") for name, kg in PARCELS]
print(tabulate(rows, headers=["parcel", "kg", "quote"]))
