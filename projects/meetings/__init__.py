"""The monthly meeting: meetings, the problem register, the packet and its PDF, working days."""
