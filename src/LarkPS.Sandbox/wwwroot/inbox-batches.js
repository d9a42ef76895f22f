// Issue 23: batch messages (message/v4/batch_send) on the inbox page, from GET /_sandbox/batch_messages: each batch
// with its text, how many it was pushed to and read by, and per pushed receiver a "Mark read" button that does what
// a person opening it in Lark does (POST /_sandbox/batch_messages/{id}/read), so read_user and get_progress count it.
// Text only through textContent: nothing a sender wrote becomes HTML.
(function () {
    "use strict";
    const root = document.getElementById("batches");
    if (!root) return;
    let names = {};
    let lastSig = "";

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined) e.textContent = text;
        return e;
    }

    function textOf(b) {
        try {
            const c = typeof b.content === "string" ? JSON.parse(b.content) : b.content;
            if (c && typeof c.text === "string") return c.text;
        } catch (_) { /* not JSON: shown as is */ }
        return typeof b.content === "string" ? b.content : JSON.stringify(b.content);
    }

    async function markRead(id, openId, button) {
        button.disabled = true;
        try {
            const r = await fetch("/_sandbox/batch_messages/" + encodeURIComponent(id) + "/read", {
                method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ open_id: openId }),
            });
            if (!r.ok) throw new Error("HTTP " + r.status);
        } catch (err) {
            button.disabled = false;
            button.title = "could not mark it read: " + err.message;
            return;
        }
        await refresh();
    }

    function render(batches) {
        root.replaceChildren();
        root.hidden = batches.length === 0;
        if (batches.length === 0) return;
        root.appendChild(el("h2", "batches-title", "Batch messages (" + batches.length + ")"));
        for (const b of batches) {
            const readers = new Set(b.readers || []);
            const pushed = b.pushed_to || [];
            const item = el("article", "batch" + (b.recalled_at ? " batch-recalled" : ""));
            item.dataset.batchMessageId = b.message_id;
            const head = el("div", "batch-head");
            head.appendChild(el("span", "batch-id", b.message_id));
            head.appendChild(el("span", "batch-type", b.msg_type));
            head.appendChild(el("span", "batch-counts",
                "pushed " + pushed.length + " of " + (b.receivers || []).length + " · read " + readers.size + (b.recalled_at ? " · recalled" : "")));
            item.appendChild(head);
            item.appendChild(el("div", "batch-text", textOf(b)));
            const list = el("ul", "batch-receivers");
            for (const openId of pushed) {
                const li = el("li", "batch-receiver");
                li.dataset.openId = openId;
                li.appendChild(el("span", "batch-receiver-name", names[openId] || openId));
                if (readers.has(openId)) {
                    li.appendChild(el("span", "batch-read", "read"));
                } else if (!b.recalled_at) {
                    const button = el("button", "batch-mark-read", "Mark read");
                    button.type = "button";
                    button.title = "POST /_sandbox/batch_messages/" + b.message_id + "/read as this receiver";
                    button.addEventListener("click", () => markRead(b.message_id, openId, button));
                    li.appendChild(button);
                }
                list.appendChild(li);
            }
            item.appendChild(list);
            root.appendChild(item);
        }
    }

    async function refresh() {
        try {
            const r = await fetch("/_sandbox/batch_messages", { cache: "no-store" });
            if (!r.ok) return;
            const batches = await r.json();
            const sig = JSON.stringify(batches.map((b) => [b.message_id, (b.pushed_to || []).length, b.readers, b.recalled_at]));
            if (sig !== lastSig) {
                lastSig = sig;
                render(batches);
            }
        } catch (_) { /* the sandbox stopped: try again on the next tick */ }
    }

    async function loadNames() {
        try {
            const r = await fetch("/_sandbox/directory", { cache: "no-store" });
            if (!r.ok) return;
            const dir = await r.json();
            for (const u of dir.users || []) { const id = u.open_id || u.openId; if (id) names[id] = u.name; }
        } catch (_) { /* names are a nicety */ }
    }

    loadNames().then(refresh);
    setInterval(refresh, 1000);
})();
