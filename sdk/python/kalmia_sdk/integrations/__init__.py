"""Integrations with agent frameworks; each imports its framework's types only structurally."""
