"""The meeting's whole life: sent versions, addenda, diffs, the move to minutes, follow-up and corrections."""
