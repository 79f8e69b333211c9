// Oxidesk widget loader (Chatwoot's chatwootSDK and $chatwoot). See docs/widget.md.
(function () {
  "use strict";
  if (window.chatwootSDK) return;
  var PREFIX = "oxidesk-widget:";
  var CSS =
    "#cw-bubble-holder{position:fixed;bottom:20px;z-index:2147483000}" +
    ".woot-elements--left{left:20px}.woot-elements--right{right:20px}" +
    ".woot-widget-bubble{width:64px;height:64px;border-radius:32px;border:0;cursor:pointer;" +
    "background:#1f93ff;box-shadow:0 4px 12px #0003;display:flex;align-items:center;" +
    "justify-content:center;position:relative;color:#fff;font:600 15px system-ui,sans-serif}" +
    ".woot-widget-bubble.woot--expanded{width:auto;padding:0 20px 0 16px;gap:8px}" +
    ".woot-widget-bubble svg{width:26px;height:26px;fill:#fff}" +
    ".woot-widget-bubble:focus-visible{outline:3px solid #000;outline-offset:2px}" +
    ".woot-widget-bubble.unread-notification::after{content:'';position:absolute;top:2px;" +
    "right:2px;width:14px;height:14px;border-radius:7px;background:#ff4040;border:2px solid #fff}" +
    ".woot--hide,.woot-hidden{display:none!important}" +
    ".woot-unread{position:absolute;bottom:76px;right:0;width:max-content;max-width:260px;" +
    "background:#fff;color:#222;border:0;border-radius:12px;padding:10px 14px;" +
    "box-shadow:0 4px 12px #0003;font:14px system-ui;cursor:pointer}" +
    ".woot-elements--left .woot-unread{left:0;right:auto}" +
    "#cw-widget-holder{position:fixed;bottom:104px;z-index:2147483000;width:400px;" +
    "height:calc(90% - 84px);max-height:640px;min-height:250px;border-radius:16px;" +
    "overflow:hidden;box-shadow:0 8px 30px #0004;background:#fff}" +
    "#cw-widget-holder.woot-widget--without-bubble{bottom:20px}" +
    "#cw-widget-holder iframe{width:100%;height:100%;border:0}" +
    "@media (max-width:667px){#cw-widget-holder{left:0!important;right:0!important;bottom:0;" +
    "top:0;width:100%;height:100%;max-height:none;border-radius:0}}";
  var ICON =
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 ' +
    '2H8l-5 4V5a2 2 0 0 1 1-2z"/></svg>';

  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }
  function fire(name, detail) {
    window.dispatchEvent(new CustomEvent(name, { detail: detail === undefined ? null : detail }));
  }
  function nulled(key) {
    var attributes = {};
    attributes[key] = null;
    return attributes;
  }
  function storage(key, value) {
    try {
      if (value === undefined) return window.localStorage.getItem(key);
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) {}
    return null;
  }

  function run(options) {
    if (window.$chatwoot) return;
    options = options || {};
    var settings = window.chatwootSettings || {};
    var baseUrl = String(options.baseUrl || "").replace(/\/+$/, "");
    var origin = new URL(baseUrl || "/", window.location.href).origin;
    var token = String(options.websiteToken || "");
    var activeKey = "cw_active_" + token;
    var state = {
      hasLoaded: false, isOpen: false,
      position: settings.position === "left" ? "left" : "right",
      type: settings.type === "expanded_bubble" ? "expanded_bubble" : "standard",
      launcherTitle: settings.launcherTitle || "",
      hideMessageBubble: !!settings.hideMessageBubble,
      darkMode: settings.darkMode || "light",
      locale: settings.useBrowserLanguage
        ? (navigator.language || "en").replace("-", "_") : settings.locale || "en"
    };
    var frame = null, holder = null, ready = false, queue = [], unread = 0;
    // The visitor token, told by the frame (for popoutChatWindow); never stored by the SDK.
    var visitor = "", preview = null;

    var style = el("style", { id: "cw-widget-styles" });
    style.textContent = CSS;
    document.head.appendChild(style);
    var bubbleHolder = el("div", { id: "cw-bubble-holder", "data-turbo-permanent": "" });
    bubbleHolder.className = "woot--bubble-holder woot-elements--" + state.position +
      (state.hideMessageBubble ? " woot-hidden" : "");
    var bubble = el("button", { type: "button", "aria-label": "Open the chat",
      "aria-expanded": "false", "class": "woot-widget-bubble" });
    bubble.innerHTML = ICON;
    if (state.type === "expanded_bubble") {
      bubble.className += " woot--expanded";
      var text = el("span", { id: "woot-widget--expanded__text" });
      text.textContent = state.launcherTitle || "Chat with us";
      bubble.appendChild(text);
    }
    bubble.addEventListener("click", function () { toggle(); });
    bubbleHolder.appendChild(bubble);
    document.body.appendChild(bubbleHolder);

    function frameUrl() {
      return baseUrl + "/widget?website_token=" + encodeURIComponent(token) +
        "&origin=" + encodeURIComponent(window.location.origin) +
        "&locale=" + encodeURIComponent(state.locale);
    }
    function ensureFrame() {
      if (frame) return;
      holder = el("div", { id: "cw-widget-holder", "data-turbo-permanent": "" });
      holder.className = "woot-widget-holder woot--hide woot-elements--" + state.position +
        (state.hideMessageBubble ? " woot-widget--without-bubble" : "");
      frame = el("iframe", { id: "chatwoot_live_chat_widget", title: "Chat",
        src: frameUrl(), allow: "clipboard-write" });
      holder.appendChild(frame);
      document.body.appendChild(holder);
    }
    function post(message) {
      frame.contentWindow.postMessage(PREFIX + JSON.stringify(message), origin);
    }
    function send(type, data) {
      ensureFrame();
      var message = data || {};
      message.type = type;
      if (ready) post(message); else queue.push(message);
    }
    function showUnread() {
      bubble.classList.toggle("unread-notification", unread > 0 && !state.isOpen);
      if (preview && !unread) preview.classList.add("woot-hidden");
    }
    // showUnreadMessagesDialog: the new message's text above the bubble while closed.
    function showPreview(m) {
      if (settings.showUnreadMessagesDialog === false || state.hideMessageBubble) return;
      if (!preview) {
        preview = el("button", { type: "button", "class": "woot-unread" });
        preview.addEventListener("click", function () { toggle("open"); });
        bubbleHolder.appendChild(preview);
      }
      var who = m.sender && m.sender.name;
      preview.textContent = (who ? who + ": " : "") + String(m.content || "").slice(0, 140);
      preview.classList.remove("woot-hidden");
    }
    function toggle(wanted) {
      var open = wanted === "open" ? true : wanted === "close" ? false : !state.isOpen;
      if (open === state.isOpen) return;
      state.isOpen = open;
      ensureFrame();
      holder.classList.toggle("woot--hide", !open);
      bubble.setAttribute("aria-expanded", String(open));
      bubble.setAttribute("aria-label", open ? "Close the chat" : "Open the chat");
      // The focus goes into the chat, and back to the bubble when it closes (Escape too).
      if (open) { unread = 0; frame.focus(); }
      else if (holder.contains(document.activeElement)) bubble.focus();
      showUnread();
      send("toggle-open", { isOpen: open });
      fire(open ? "chatwoot:opened" : "chatwoot:closed");
    }

    window.addEventListener("message", function (event) {
      if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
      if (typeof event.data !== "string" || event.data.indexOf(PREFIX) !== 0) return;
      var message;
      try { message = JSON.parse(event.data.slice(PREFIX.length)); } catch (e) { return; }
      if (message.type === "loaded") {
        ready = true;
        if (/^#[0-9a-f]{6}$/i.test(message.color || "")) bubble.style.background = message.color;
        post({ type: "config-set", locale: state.locale, darkMode: state.darkMode,
          referrerURL: window.location.href, isOpen: state.isOpen,
          showPopoutButton: !!settings.showPopoutButton });
        while (queue.length) post(queue.shift());
      } else if (message.type === "started") {
        storage(activeKey, "1");
      } else if (message.type === "token") {
        visitor = String(message.token || "");
      } else if (message.type === "message") {
        if (!state.isOpen) { unread += 1; showUnread(); showPreview(message.message || {}); }
        fire("chatwoot:on-message", message.message);
      } else if (message.type === "error") {
        fire("chatwoot:error", message.error);
      } else if (message.type === "close") {
        toggle("close");
      }
    });

    window.$chatwoot = {
      get isOpen() { return state.isOpen; },
      get hasLoaded() { return state.hasLoaded; },
      websiteToken: token, baseUrl: baseUrl, position: state.position, type: state.type,
      toggle: toggle,
      popoutChatWindow: function () {
        toggle("close");
        window.open(frameUrl() + (visitor ? "#token=" + encodeURIComponent(visitor) : ""),
          "_blank", "noopener");
      },
      toggleBubbleVisibility: function (visibility) {
        var hide = visibility === "hide" ? true : visibility === "show" ? false
          : !bubbleHolder.classList.contains("woot-hidden");
        bubbleHolder.classList.toggle("woot-hidden", hide);
        state.hideMessageBubble = hide;
      },
      setUser: function (identifier, user) {
        if (typeof identifier !== "string" && typeof identifier !== "number") {
          throw new Error("Identifier must be a string or number");
        }
        user = user || {};
        if (!user.email && !user.name && !user.avatar_url && !user.identifier_hash) {
          throw new Error("User needs avatar_url, email or name");
        }
        send("set-user", { identifier: identifier, user: user });
      },
      setCustomAttributes: function (attributes) {
        if (!attributes || !Object.keys(attributes).length) {
          throw new Error("Custom attributes are empty");
        }
        send("set-custom-attributes", { customAttributes: attributes });
      },
      deleteCustomAttribute: function (key) {
        send("set-custom-attributes", { customAttributes: nulled(key) });
      },
      setConversationCustomAttributes: function (attributes) {
        send("set-conversation-custom-attributes", { customAttributes: attributes || {} });
      },
      deleteConversationCustomAttribute: function (key) {
        send("set-conversation-custom-attributes", { customAttributes: nulled(key) });
      },
      setLabel: function (label) { send("set-label", { label: String(label) }); },
      removeLabel: function (label) { send("remove-label", { label: String(label) }); },
      setLocale: function (locale) {
        state.locale = locale || "en";
        if (frame) send("set-locale", { locale: state.locale });
      },
      setColorScheme: function (scheme) {
        state.darkMode = scheme || "light";
        if (frame) send("set-color-scheme", { darkMode: state.darkMode });
      },
      reset: function () {
        toggle("close");
        storage(activeKey, null);
        if (frame) {
          send("reset");
          holder.parentNode.removeChild(holder);
        }
        frame = null; holder = null; ready = false; queue = []; unread = 0; visitor = "";
        showUnread();
      }
    };
    // A returning visitor gets the frame at once, for the unread dot.
    if (storage(activeKey)) ensureFrame();
    state.hasLoaded = true;
    fire("chatwoot:ready");
  }

  window.chatwootSDK = { run: run };
})();
