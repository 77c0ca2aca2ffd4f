"""Takstbilag: the yearly tariff table as validated data, imported from Excel, rendered as the annex."""
