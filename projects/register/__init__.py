"""The register: projects, officials, zones, units, milestones, and their pages."""
