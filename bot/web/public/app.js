// Web chat: posts to /api/chat and shows replies. Text is inserted as text nodes only
// (the core's **bold** becomes <strong>), so nothing from a reply can run as HTML.
"use strict";

const log = document.getElementById("log");
const form = document.getElementById("ask");
const input = document.getElementById("question");
const sendButton = document.getElementById("send");
const status = document.getElementById("status");

const SESSION_KEY = "sotay.session";
function sessionId() {
  let id = localStorage.getItem(SESSION_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now()).replace(/[^A-Za-z0-9_-]/g, "");
    localStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

/** Appends `text` with **bold** runs as <strong> to `parent`. */
function appendFormatted(parent, text) {
  const parts = text.split("**");
  const balanced = parts.length % 2 === 1;
  parts.forEach((part, i) => {
    if (!part) return;
    if (i % 2 === 1 && balanced) {
      const strong = document.createElement("strong");
      strong.textContent = part;
      parent.appendChild(strong);
    } else {
      parent.appendChild(document.createTextNode(i > 0 && !balanced ? "**" + part : part));
    }
  });
}

/** A file in a reply ({fileName, mimeType, base64}) as a download link. */
function fileLink(file) {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const link = document.createElement("a");
  link.className = "file";
  link.href = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  link.download = file.fileName;
  link.textContent = "📎 " + file.fileName;
  return link;
}

function addMessage(who, text, choices, file) {
  const item = document.createElement("li");
  item.className = "msg " + who;
  if (who === "user") {
    item.textContent = text;
  } else {
    const lines = text.split("\n");
    lines.forEach((line, i) => {
      if (line.startsWith("📖")) {
        const cite = document.createElement("span");
        cite.className = "cite";
        // The book emoji marks citations in chat apps; here a styled line does (no emoji font needed).
        appendFormatted(cite, line.replace(/^📖\s*/u, ""));
        item.appendChild(cite);
      } else {
        appendFormatted(item, line + (i < lines.length - 1 && !(lines[i + 1] || "").startsWith("📖") ? "\n" : ""));
      }
    });
    if (file) item.appendChild(fileLink(file));
    if (choices && choices.length) {
      // Sections to open first, one button each; then 👍 / 👎 side by side.
      const groups = [choices.filter((c) => c.kind !== "feedback"), choices.filter((c) => c.kind === "feedback")];
      groups.forEach((group, g) => {
        if (!group.length) return;
        const box = document.createElement("div");
        box.className = g === 1 ? "choices feedback" : "choices";
        for (const c of group) {
          const b = document.createElement("button");
          b.type = "button";
          // 👍 / 👎 need an emoji font many computers lack: the words alone say it.
          b.textContent = g === 1 ? c.label.replace(/^\p{Extended_Pictographic}\s*/u, "") : c.label;
          b.addEventListener("click", () => {
            box.querySelectorAll("button").forEach((x) => (x.disabled = true));
            send({ choice: c.value }, c.label);
          });
          box.appendChild(b);
        }
        item.appendChild(box);
      });
    }
  }
  log.appendChild(item);
  // A reply opens at its first line (a long answer is read from the top); the member's own line just shows.
  item.scrollIntoView({ block: who === "bot" ? "start" : "end", behavior: "smooth" });
}

async function send(payload, shown) {
  if (shown) addMessage("user", shown);
  sendButton.disabled = true;
  status.textContent = "Đang tìm câu trả lời…";
  try {
    const res = await fetch("/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId: sessionId(), ...payload }),
    });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const data = await res.json();
    for (const r of data.replies || []) addMessage("bot", r.text, r.choices, r.file);
    status.textContent = "";
  } catch (err) {
    status.textContent = "Không kết nối được máy chủ. Đồng chí vui lòng thử lại.";
  } finally {
    sendButton.disabled = false;
    input.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send({ text }, text);
});

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// The first screen: the server's greeting with example questions to tap (no command to learn).
send({ text: "/start" }, null);
