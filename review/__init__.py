"""`govreport review`: a local web page over an `extract` output folder, to check extractions and
turn corrections into gold labels that `govreport train` reads (needs `.[review]`)."""
