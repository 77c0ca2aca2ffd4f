"""The Word writer: docxtpl fills the template's front page; the items go in with the template's styles."""

from .writer import write_docx

__all__ = ["write_docx"]
