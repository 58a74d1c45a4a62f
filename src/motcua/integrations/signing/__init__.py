"""The remote-signing service (ký số từ xa, SmartCA-shaped hash signing) and PAdES verification."""
