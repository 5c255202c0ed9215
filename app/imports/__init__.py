"""Importers: boundaries (GeoJSON) and addresses/people (CSV + mapping)."""
