"""Start the full-screen app (placeholder replaced by the UI work)."""
