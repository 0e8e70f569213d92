// The playground page: questions go to /playground/say, buttons to /playground/press, and each
// answer is shown twice, as Slack shows it (the server's Block Kit HTML) and as Teams shows it (the
// Adaptive Card, rendered here by the adaptivecards library). Reports arrive on /playground/events.
// Everything inserted as HTML was escaped by the server (blockkit-html.ts) or here (markdown()).
"use strict";

(() => {
  const exchanges = document.getElementById("exchanges");
  const reports = document.getElementById("reports");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const status = document.getElementById("channel-status");

  /** Teams' Markdown subset in cards: **bold**, _italic_, [label](https://…), line breaks; all else as text. */
  function markdown(text) {
    const escaped = text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
    return escaped
      .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^\w])_([^_\n]+)_(?=[^\w]|$)/g, "$1<em>$2</em>")
      .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
      .replace(/\n/g, "<br>");
  }

  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown(text);
    result.didProcess = true;
  };

  async function call(path, body) {
    const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** Slack date tokens and rich-text dates: shown in this browser's zone, as Slack does. */
  function localTimes(root) {
    for (const t of root.querySelectorAll("time[datetime]")) {
      const d = new Date(t.getAttribute("datetime"));
      if (!Number.isNaN(d.getTime())) {
        t.title = t.textContent;
        t.textContent = d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      }
    }
  }

  function chartPictures(charts) {
    const box = el("div", "charts");
    for (const c of charts) {
      const img = el("img", "chart");
      img.src = c.url;
      img.alt = c.alt;
      img.title = c.title;
      box.append(img);
    }
    return box;
  }

  /** The CSV Slack would get as a file in the thread, as a download. */
  function attachmentLink(a) {
    const link = el("a", "attachment", `📎 ${a.filename} (${a.rows} rows)`);
    link.href = URL.createObjectURL(new Blob([a.csv], { type: "text/csv" }));
    link.download = a.filename;
    return link;
  }

  function slackPane(r, onPress) {
    const pane = el("div", "pane slack");
    pane.append(el("div", "pane-title", "Slack"));
    const body = el("div", "slack-body");
    body.innerHTML = r.slackHtml;
    localTimes(body);
    for (const b of body.querySelectorAll("button.bk-button[data-value]")) {
      b.addEventListener("click", () => onPress(b.dataset.value));
    }
    pane.append(body);
    if (r.charts.length > 0) pane.append(chartPictures(r.charts));
    if (r.slack.attachment) pane.append(attachmentLink(r.slack.attachment));
    return pane;
  }

  function teamsPane(r, onPress) {
    const pane = el("div", "pane teams");
    pane.append(el("div", "pane-title", "Teams"));
    const card = new AdaptiveCards.AdaptiveCard();
    card.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.OpenUrlAction) {
        if (/^https?:\/\//i.test(action.url ?? "")) window.open(action.url, "_blank", "noopener");
        return;
      }
      // Action.Execute (verb aoai.followUp) and its Action.Submit fallback carry the follow-up in data
      const data = action.data;
      if (data && data.followUp !== undefined) onPress(data.followUp);
    };
    card.parse(r.teams);
    const rendered = card.render();
    const body = el("div", "teams-body");
    if (rendered) body.append(rendered);
    pane.append(body);
    // a card that already carries its picture (an Image) needs no copy under it
    const pictured = JSON.stringify(r.teams).includes('"type":"Image"');
    if (r.charts.length > 0 && !pictured) pane.append(chartPictures(r.charts));
    return pane;
  }

  /** Fills `box` with both renderings of an answer; a press replaces the whole box with the new answer. */
  function show(box, r) {
    const onPress = (followUp) => {
      box.classList.add("pending");
      call("/playground/press", { followUp }).then(
        (next) => show(box, next),
        (err) => failed(box, err),
      );
    };
    box.classList.remove("pending");
    box.replaceChildren(slackPane(r, onPress), teamsPane(r, onPress));
  }

  function failed(box, err) {
    box.classList.remove("pending");
    box.replaceChildren(el("div", "failure", `Could not reach the bot: ${err.message}`));
  }

  function ask(text) {
    const item = el("li", "exchange");
    item.append(el("div", "question", text));
    const box = el("div", "answer pending");
    box.dataset.testid = "answer";
    box.append(el("div", "working", "⏳ asking…"));
    item.append(box);
    exchanges.append(item);
    item.scrollIntoView({ block: "end" });
    call("/playground/say", { text }).then(
      (r) => {
        show(box, r);
        item.scrollIntoView({ block: "start" });
      },
      (err) => failed(box, err),
    );
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (text === "") return;
    input.value = "";
    ask(text);
  });
  for (const b of document.querySelectorAll("[data-ask]")) b.addEventListener("click", () => ask(b.dataset.ask));

  // the channel: a report is posted, edited in place (a condition still holding), or answered in its thread
  function report(e) {
    const item = el("li", "report");
    item.dataset.id = e.id;
    item.dataset.testid = "report";
    const when = el("div", "posted");
    when.append(el("span", "", e.replyTo ? "↳ reply in thread · " : ""), el("time", "", new Date(e.at).toLocaleString()));
    const box = el("div", "answer");
    show(box, e.message);
    item.append(when, box);
    return item;
  }

  function connect() {
    const events = new EventSource("/playground/events");
    events.addEventListener("open", () => {
      status.textContent = "live";
      status.className = "status live";
    });
    events.addEventListener("error", () => {
      status.textContent = "reconnecting…";
      status.className = "status";
    });
    const seen = new Set();
    const add = (msg) => {
      const e = JSON.parse(msg.data);
      // a reconnect replays the channel's recent history: each event is shown once
      const key = `${msg.type}:${e.id}:${e.at}`;
      if (seen.has(key)) return;
      seen.add(key);
      const existing = [...reports.children].find((c) => c.dataset.id === e.id);
      if (msg.type === "update" && existing) existing.replaceWith(report(e));
      else reports.prepend(report(e));
    };
    for (const kind of ["post", "update", "reply"]) events.addEventListener(kind, add);
  }
  connect();
  input.focus();
})();
