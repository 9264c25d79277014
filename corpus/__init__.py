"""Reading documents: formats, metadata and validation (the first stage of the pipeline)."""
