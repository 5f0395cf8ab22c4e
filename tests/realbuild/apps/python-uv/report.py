"""Prints the stock report as a table."""

from tabulate import tabulate

STOCK = [("bolts", 120, 0.05), ("nuts", 300, 0.03), ("washers", 75, 0.02)]

rows = [(name, qty, f"{qty * price:.2f}") for name, qty, price in STOCK]
print(tabulate(rows, headers=["item", "qty", "value"]))
