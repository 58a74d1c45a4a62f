"""Zalo ZNS (integrations.md §6.2): a template message to a phone number, no follow needed."""
