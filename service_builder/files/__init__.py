"""Uploaded files: where their bytes are kept, virus scanning, and their retention."""
