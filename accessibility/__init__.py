"""The accessibility gate: every page state of every service, checked by axe-core in Chromium."""
