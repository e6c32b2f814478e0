"""Training the locator model: labels for a document's words (from factory token annotations or
from gold values alone), datasets, the `govreport train` loop and per-style scoring."""
