"""The archive of signed minutes: checked on the way in, stored write-once, indexed for search, verifiable."""
