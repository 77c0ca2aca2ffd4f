"""Writers: the validated meeting as Word, PDF and text."""
