"""The small exception tree: every error a user can see derives from GuidegenError."""

from __future__ import annotations

import click


class GuidegenError(click.ClickException):
    """Base of every error reported to the user; Click prints it and exits with code 1."""

    exit_code = 1

    def show(self, file=None) -> None:
        """Print the message as it is (compiler style, 'path:line:col: error: ...'), to stderr."""
        click.echo(self.format_message(), err=True, file=file)


class ConfigError(GuidegenError):
    """Raised by the config loader when guidegen.yaml is missing or invalid."""


class ContentError(GuidegenError):
    """Raised by the loader when guides, shared content or references are invalid."""


class TranslationError(GuidegenError):
    """Raised by the i18n module when a PO catalog cannot be read or written."""


class BuildError(GuidegenError):
    """Raised by the build stages when rendering or writing an output fails."""
