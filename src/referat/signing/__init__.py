"""PAdES signatures on the minutes: signing (`referat sign`) and reading signatures back for the archive."""
