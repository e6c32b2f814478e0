"""govreport: the command-line front of the extraction, training and evaluation packages."""
