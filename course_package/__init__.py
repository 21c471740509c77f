"""Course model, source loading, the built-in Smart City Manager curriculum and rendering to HTML."""

from pathlib import Path

CURRICULUM_DIR = Path(__file__).parent / "curriculum"
"""The built-in curriculum's source folder, used whenever a command is given no SOURCE."""
