"""Citizen login with VNeID: OpenID Connect, authorization code with PKCE (contract §8.1)."""
