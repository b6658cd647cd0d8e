"""The one error every configuration loader raises: a file and all its problems at once."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration file cannot be used; ``problems`` lists every ``entry.field: message``."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))

    def report(self, what: str) -> str:
        """Several lines for the command line: what is invalid, then one problem a line."""
        lines = "\n".join(f"  {p}" for p in self.problems)
        return f"invalid {what} {self.path}:\n{lines}"
