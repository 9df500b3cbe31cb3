"""Fixing: apply the rules' fixes pass by pass, verify each pass, and write pages back safely."""
