"""Constants of the chat page: the interface texts in English and French, the CSS and the small script
that makes citation markers scroll to and highlight their card. Nothing here is fetched from outside.
"""

from __future__ import annotations

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "The Paris Call assistant",
        "subtitle": "Questions about the Paris Call for Trust and Security in Cyberspace, answered from the "
                    "sources — every claim is cited; click a marker such as [1] to see the exact passage.",
        "ui_language": "Interface language",
        "tab_chat": "Chat", "tab_sources": "Sources", "tab_briefing": "Briefing",
        "new": "New conversation", "delete": "Delete conversation", "export": "Export as Markdown",
        "conversations": "Your conversations", "no_conversations": "No conversation yet",
        "filters": "Filters", "kind": "Kind of document", "language": "Language of documents",
        "date_from": "From (YYYY[-MM[-DD]])", "date_to": "Until (YYYY[-MM[-DD]])",
        "ask": "Your question", "ask_placeholder": "Ask about the Paris Call, its principles, its supporters…",
        "send": "Ask", "chat": "Conversation",
        "placeholder": "**Ask a question**, or start from one of these examples.",
        "sources": "Sources", "sources_empty": "The passages cited in answers appear here.",
        "comment": "Add a comment to your feedback (optional)", "comment_send": "Send comment",
        "feedback_thanks": "Thank you — your feedback was saved.",
        "comment_thanks": "Thank you — your comment was saved.",
        "publisher": "Publisher", "date": "Date", "page": "Page", "undated": "undated",
        "open_original": "Open the original", "read_in_sources": "Cited in answer to",
        "refused": "Not answered from the sources", "related": "Closest passages",
        "notice": "Note",
        "error": "Something went wrong while answering. Please try again in a moment.",
        "bad_date": "Dates must be written YYYY, YYYY-MM or YYYY-MM-DD (got “{value}”).",
        "docs_intro": "Browse the documents the assistant answers from. Select a row to read it in full.",
        "docs_count": "{shown} of {total} documents", "doc_empty": "Select a document in the table to read it.",
        "col_title": "Title", "col_kind": "Kind", "col_language": "Language", "col_date": "Date",
        "col_publisher": "Publisher", "col_id": "File", "search_docs": "Title contains",
        "any": "Any", "address": "Address", "file": "File", "form": "Form",
        "flagged": "⚠ Flagged (never quoted in answers)",
        "doc_unreadable": "The full text of this document is not available.",
        "md_title": "Conversation with the Paris Call assistant", "md_question": "Question",
        "md_answer": "Answer", "md_references": "References", "md_exported": "Exported",
        "briefing_topic": "Topic", "briefing_make": "Prepare the briefing",
        "briefing_language": "Language of the briefing", "briefing_md": "Download Markdown",
        "briefing_docx": "Download Word (.docx)", "briefing_empty": "Choose a topic and prepare a briefing.",
    },
    "fr": {
        "title": "L'assistant de l'Appel de Paris",
        "subtitle": "Des questions sur l'Appel de Paris pour la confiance et la sécurité dans le cyberespace, "
                    "avec des réponses tirées des sources — chaque affirmation est citée ; cliquez sur un renvoi "
                    "comme [1] pour voir le passage exact.",
        "ui_language": "Langue de l'interface",
        "tab_chat": "Discussion", "tab_sources": "Sources", "tab_briefing": "Note de synthèse",
        "new": "Nouvelle conversation", "delete": "Supprimer la conversation", "export": "Exporter en Markdown",
        "conversations": "Vos conversations", "no_conversations": "Aucune conversation pour l'instant",
        "filters": "Filtres", "kind": "Type de document", "language": "Langue des documents",
        "date_from": "Depuis (AAAA[-MM[-JJ]])", "date_to": "Jusqu'à (AAAA[-MM[-JJ]])",
        "ask": "Votre question", "ask_placeholder": "Posez une question sur l'Appel de Paris, ses principes, "
                                                    "ses soutiens…",
        "send": "Demander", "chat": "Conversation",
        "placeholder": "**Posez une question**, ou partez de l'un de ces exemples.",
        "sources": "Sources", "sources_empty": "Les passages cités dans les réponses s'affichent ici.",
        "comment": "Ajouter un commentaire à votre avis (facultatif)", "comment_send": "Envoyer le commentaire",
        "feedback_thanks": "Merci — votre avis a été enregistré.",
        "comment_thanks": "Merci — votre commentaire a été enregistré.",
        "publisher": "Éditeur", "date": "Date", "page": "Page", "undated": "non daté",
        "open_original": "Ouvrir l'original", "read_in_sources": "Cité en réponse à",
        "refused": "Pas de réponse dans les sources", "related": "Passages les plus proches",
        "notice": "Remarque",
        "error": "Un problème est survenu pendant la réponse. Merci de réessayer dans un instant.",
        "bad_date": "Les dates s'écrivent AAAA, AAAA-MM ou AAAA-MM-JJ (reçu « {value} »).",
        "docs_intro": "Parcourez les documents sur lesquels l'assistant s'appuie. Choisissez une ligne pour "
                      "la lire en entier.",
        "docs_count": "{shown} documents sur {total}", "doc_empty": "Choisissez un document dans le tableau.",
        "col_title": "Titre", "col_kind": "Type", "col_language": "Langue", "col_date": "Date",
        "col_publisher": "Éditeur", "col_id": "Fichier", "search_docs": "Le titre contient",
        "any": "Tous", "address": "Adresse", "file": "Fichier", "form": "Forme",
        "flagged": "⚠ Signalé (jamais cité dans les réponses)",
        "doc_unreadable": "Le texte intégral de ce document n'est pas disponible.",
        "md_title": "Conversation avec l'assistant de l'Appel de Paris", "md_question": "Question",
        "md_answer": "Réponse", "md_references": "Références", "md_exported": "Exporté le",
        "briefing_topic": "Sujet", "briefing_make": "Préparer la note",
        "briefing_language": "Langue de la note", "briefing_md": "Télécharger en Markdown",
        "briefing_docx": "Télécharger en Word (.docx)", "briefing_empty": "Choisissez un sujet et préparez la note.",
    },
}

KINDS: dict[str, dict[str, str]] = {
    "en": {"declaration": "Declaration", "statement": "Statement", "news": "News", "report": "Report",
           "registry": "Registry"},
    "fr": {"declaration": "Déclaration", "statement": "Prise de position", "news": "Actualité",
           "report": "Rapport", "registry": "Registre"},
}
LANGUAGES = {"en": {"en": "English", "fr": "French"}, "fr": {"en": "Anglais", "fr": "Français"}}

EXAMPLES: dict[str, list[str]] = {
    "en": ["What are the nine principles of the Paris Call?",
           "Who launched the Paris Call?",
           "Did the United States support the Paris Call?",
           "What do the working groups of the Paris Call do?"],
    "fr": ["Quels sont les neuf principes de l'Appel de Paris ?",
           "Qui a lancé l'Appel de Paris ?",
           "Quel principe de l'Appel de Paris protège les élections ?",
           "Que font les groupes de travail de l'Appel de Paris ?"],
}


def kind_label(kind: str | None, lang: str) -> str:
    return KINDS.get(lang, KINDS["en"]).get(kind or "", kind or "")


# Clicking a marker [n] (a link to #cite-<turn>-<n>) scrolls its card into view and highlights it;
# listening in the capture phase keeps the page's own handlers (and the URL) out of it.
HEAD = """<meta name="referrer" content="no-referrer">
<script>
(function () {
  function activate(id) {
    var card = document.getElementById(id);
    if (!card) return false;
    document.querySelectorAll('.pca-card.is-active').forEach(function (c) { c.classList.remove('is-active'); });
    card.classList.add('is-active');
    card.scrollIntoView({behavior: 'smooth', block: 'center'});
    return true;
  }
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest && event.target.closest('a[href^="#cite-"], a[href^="#rel-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    activate(link.getAttribute('href').slice(1));
  }, true);
  window.pcaActivate = activate;
})();
</script>"""

CSS = """
.pca-header { display: flex; align-items: flex-end; justify-content: space-between; gap: 1rem; }
.pca-header h1 { margin: 0 0 .15rem 0; font-size: 1.55rem; letter-spacing: -.01em; }
.pca-header p { margin: 0; color: var(--body-text-color-subdued); max-width: 60rem; }
#pca-ui-lang { flex-grow: 0; }
#pca-sources { padding-right: .35rem; scroll-padding: 1rem; }
.pca-group { margin: 0 0 1rem 0; }
.pca-group-title { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em;
  color: var(--body-text-color-subdued); margin: .25rem 0 .1rem 0; }
.pca-group-question { font-weight: 600; margin: 0 0 .5rem 0; overflow-wrap: anywhere; }
.pca-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .7rem .85rem;
  margin: 0 0 .65rem 0; background: var(--background-fill-primary); transition: box-shadow .3s, border-color .3s; }
.pca-card.is-active { border-color: var(--color-accent); box-shadow: 0 0 0 3px var(--color-accent-soft);
  animation: pca-flash 1.4s ease-out; }
@keyframes pca-flash { 0% { background: var(--color-accent-soft); } 100% { background: var(--background-fill-primary); } }
.pca-card-head { display: flex; gap: .5rem; align-items: baseline; }
.pca-num { flex: none; font-weight: 700; color: var(--color-accent); }
.pca-card-title { font-weight: 600; line-height: 1.3; }
.pca-card-section { font-size: .85rem; margin-top: .15rem; color: var(--body-text-color-subdued); }
.pca-meta { display: flex; flex-wrap: wrap; gap: .3rem; margin: .4rem 0; }
.pca-chip { font-size: .75rem; padding: .05rem .45rem; border-radius: 999px;
  background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary);
  color: var(--body-text-color-subdued); }
.pca-passage { font-size: .88rem; line-height: 1.5; white-space: pre-wrap; color: var(--body-text-color-subdued);
  border-left: 3px solid var(--border-color-primary); padding-left: .6rem; overflow-wrap: anywhere; }
.pca-passage mark { background: #fff1a8; color: #1f2328; padding: 0 .1rem; border-radius: 3px; }
.pca-link { font-size: .85rem; margin-top: .4rem; display: inline-block; }
.pca-empty { color: var(--body-text-color-subdued); font-style: italic; padding: .5rem 0; }
.pca-refusal { border-left: 4px solid #d97706; padding-left: .6rem; }
.pca-refusal-title { font-weight: 700; color: #b45309; }
.pca-error { border-left: 4px solid #dc2626; padding-left: .6rem; color: #b91c1c; }
.pca-notice { font-size: .85rem; color: var(--body-text-color-subdued); margin-top: .4rem; }
#pca-chat a.pca-marker, .pca-briefing a.pca-marker { color: var(--color-accent) !important; text-decoration: none;
  font-weight: 600; font-size: .8em; vertical-align: super; line-height: 0; padding: 0 .08rem; cursor: pointer; }
#pca-chat a.pca-marker:hover { text-decoration: underline; }
.pca-related { margin: .4rem 0 0 1.1rem; padding: 0; }
.pca-doc { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 1rem 1.2rem; }
.pca-doc h2 { margin-top: 0; font-size: 1.25rem; }
.pca-doc dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; font-size: .9rem; }
.pca-doc dt { color: var(--body-text-color-subdued); }
.pca-doc dd { margin: 0; overflow-wrap: anywhere; }
.pca-doc dd.pca-flagged { color: #b45309; font-weight: 600; }
.pca-doc-text { white-space: pre-wrap; line-height: 1.55; max-height: 520px; overflow-y: auto;
  border-top: 1px solid var(--border-color-primary); margin-top: .8rem; padding-top: .8rem; }
.pca-briefing { line-height: 1.55; max-width: 60rem; }
.pca-briefing h2 { font-size: 1.3rem; margin: .2rem 0 .6rem 0; }
.pca-briefing h3 { font-size: 1.05rem; margin: 1rem 0 .4rem 0; }
#pca-docs [role=grid], #pca-docs [role=gridcell] span, #pca-docs [role=columnheader] span {
  font-family: var(--font) !important; font-size: .88rem; }
footer { display: none !important; }
"""
