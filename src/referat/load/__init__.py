"""Readers: YAML files and meeting folders into the validated model."""
