"""The report: each sensor's reading and whether it is in range."""

from tabulate import tabulate

READINGS = [("temperature", 24.5, (18.0, 28.0)), ("humidity", 81.0, (60.0, 80.0)), ("soil", 0.42, (0.3, 0.6))]


def main() -> None:
    rows = [(name, value, "ok" if low <= value <= high else "check") for name, value, (low, high) in READINGS]
    print(tabulate(rows, headers=["sensor", "value", "status"]))
