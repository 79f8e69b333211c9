// The widget's own words in English and French. The language is the site's
// (chatwootSettings.locale, $chatwoot.setLocale) or, when it asks (useBrowserLanguage), the
// browser's; anything else falls back to English. Texts the inbox's administrators wrote
// (title, greeting, pre-chat message) are shown as written.

const STRINGS = {
  en: {
    message: "Your message",
    placeholder: "Type your message…",
    send: "Send",
    close: "Close the chat",
    attach: "Attach a file",
    remove: "Remove {name}",
    typing: "An agent is typing…",
    conversation: "Conversation",
    conversations: "Your conversations",
    newConversation: "Start a new conversation",
    resolved: "This conversation was resolved.",
    back: "Back to the latest conversation",
    open: "Open",
    submit: "Submit",
    sent: "Thanks, sent.",
    email: "Your email",
    rate: "Rate the conversation",
    rating: "{n} out of 5",
    comment: "Tell us more (optional)",
    thanks: "Thanks for your feedback!",
    download: "Download {name}",
    image: "Image {name}",
    required: "{field} is required",
    start: "Start the conversation",
    unread: "New message",
    tooMany: "At most {n} files per message",
    statusOpen: "open",
    statusResolved: "resolved",
    statusPending: "pending",
    statusSnoozed: "snoozed",
    you: "You",
    endConversation: "End conversation",
    endQuestion: "End this conversation?",
    endYes: "End it",
    cancel: "Cancel",
    emoji: "Choose an emoji",
    popout: "Open in a new window",
  },
  fr: {
    message: "Votre message",
    placeholder: "Écrivez votre message…",
    send: "Envoyer",
    close: "Fermer la discussion",
    attach: "Joindre un fichier",
    remove: "Retirer {name}",
    typing: "Un agent écrit…",
    conversation: "Conversation",
    conversations: "Vos conversations",
    newConversation: "Démarrer une nouvelle conversation",
    resolved: "Cette conversation est résolue.",
    back: "Revenir à la dernière conversation",
    open: "Ouvrir",
    submit: "Envoyer",
    sent: "Merci, c’est envoyé.",
    email: "Votre adresse e-mail",
    rate: "Évaluez la conversation",
    rating: "{n} sur 5",
    comment: "Dites-nous en plus (facultatif)",
    thanks: "Merci pour votre avis !",
    download: "Télécharger {name}",
    image: "Image {name}",
    required: "{field} est obligatoire",
    start: "Démarrer la conversation",
    unread: "Nouveau message",
    tooMany: "Au plus {n} fichiers par message",
    statusOpen: "ouverte",
    statusResolved: "résolue",
    statusPending: "en attente",
    statusSnoozed: "en pause",
    you: "Vous",
    endConversation: "Terminer la conversation",
    endQuestion: "Terminer cette conversation ?",
    endYes: "Terminer",
    cancel: "Annuler",
    emoji: "Choisir un emoji",
    popout: "Ouvrir dans une nouvelle fenêtre",
  },
};

let current = "en";

// The supported language of `locale` ("fr_CA" → "fr"), or null.
export function supported(locale) {
  const base = String(locale || "").toLowerCase().replace("_", "-").split("-")[0];
  return Object.hasOwn(STRINGS, base) ? base : null;
}

export function setLanguage(locale) {
  current = supported(locale) || "en";
  document.documentElement.lang = current;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll("[data-t-placeholder]")) {
    node.placeholder = t(node.dataset.tPlaceholder);
  }
  for (const node of document.querySelectorAll("[data-t-label]")) {
    node.setAttribute("aria-label", t(node.dataset.tLabel));
  }
}

export function language() {
  return current;
}

export function t(key, values = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}
