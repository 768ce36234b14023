"""The follow-up pages: alerts, committees, meetings, decisions and their minutes."""
