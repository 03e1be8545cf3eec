import matplotlib

# Headless, and before any test imports pyplot.
matplotlib.use("Agg")
