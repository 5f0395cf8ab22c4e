"""Prints the shipping report as a table."""

from tabulate import tabulate

PARCELS = [("north", 12, 3.5), ("south", 7, 2.25), ("east", 21, 4.0)]

rows = [(region, count, f"{count * weight:.2f} kg") for region, count, weight in PARCELS]
print(tabulate(rows, headers=["region", "parcels", "weight"]))
