"""Sync between devices through the person's own git: the policy, the join, the conflicts."""
