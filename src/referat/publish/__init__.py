"""Publication: the public bilag as clean PDFs, the static site of public editions, and the leak check."""
