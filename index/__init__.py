"""Chunking, embeddings, the Chroma store, the lexical index and the hybrid retriever."""
