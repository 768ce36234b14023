"""Figures that read agreements and projects together (above both in the layering)."""
