// The header's team line, kept live: a presence-only stream (the visitor live stream without a
// visitor token) sends `presence` events when the inbox's agents or business hours change
// (docs/widget.md, "The header: who is there"); the line is redrawn from them with text nodes.
import { websiteToken } from "./api.js";

const team = document.getElementById("widget-team");

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function draw(header) {
  const box = el("div");
  if (header.agents.length) {
    const avatars = el("ul", { class: "team-avatars", "aria-label": "Agents online" });
    for (const agent of header.agents) {
      const item = el("li");
      item.append(
        agent.avatar_url
          ? el("img", { src: agent.avatar_url, alt: agent.name, width: 28, height: 28 })
          : el("span", { class: "initials", role: "img", "aria-label": agent.name }, agent.initials),
      );
      avatars.append(item);
    }
    team.append(avatars);
  }
  const line = el("p", { class: "availability", id: "widget-availability" });
  line.append(el("span", { class: "dot", "aria-hidden": "true" }), header.availability);
  box.append(line);
  if (header.online) box.append(el("p", { class: "reply-time", id: "widget-reply-time" }, header.reply_time));
  team.append(box);
}

export function followPresence() {
  if (!team) return;
  const url = `/widget/api/live?website_token=${encodeURIComponent(websiteToken)}`;
  const stream = new EventSource(url);
  stream.addEventListener("presence", (event) => {
    let header;
    try {
      header = JSON.parse(event.data);
    } catch {
      return;
    }
    team.replaceChildren();
    draw(header);
    team.dataset.online = String(!!header.online);
  });
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED) setTimeout(followPresence, 5000);
  };
}
