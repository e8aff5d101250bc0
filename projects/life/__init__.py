"""A project's life: its stages, dated, and the start and completion rates (开工率, 竣工率)."""
