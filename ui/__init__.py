"""The Gradio chat page: layout and handlers (`app`), safe HTML (`render`), conversations and feedback (`store`)."""
