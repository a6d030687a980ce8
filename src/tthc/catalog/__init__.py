"""The bundled procedure catalogue. Placeholder: filled in by the foundation issue."""

__all__: list[str] = []
