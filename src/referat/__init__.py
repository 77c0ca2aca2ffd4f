"""referat: agendas, minutes, agenda packets and tariff tables for Danish committees, from YAML."""

__version__ = "0.1.0"
