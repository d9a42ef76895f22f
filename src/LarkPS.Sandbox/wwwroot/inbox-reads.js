// Read receipts (issue 25): a "Mark read" button on every message the bot sent marks it read by the user chosen in the
// composer's "As" list (POST /_sandbox/messages/{id}/read), as that person opening it in Lark would; the readers show
// beside it. GET /open-apis/im/v1/messages/{id}/read_users then answers them. Only /_sandbox/* endpoints are used.
"use strict";

(() => {
    const reads = new Map();
    const list = document.getElementById("messages");
    if (!list) return;

    const readerId = () => document.getElementById("live-sender")?.value || "";
    const readerName = () => document.getElementById("live-sender")?.selectedOptions?.[0]?.textContent || readerId();

    function readersText(id) {
        const marks = reads.get(id) || [];
        return marks.length ? "Read by " + marks.map((m) => m.name || m.reader_id).join(", ") : "Unread";
    }

    function decorate(article) {
        if (article.classList.contains("msg-from-user") || article.querySelector(".read-tools")) return;
        const id = article.dataset.messageId;
        if (!id) return;
        const tools = document.createElement("div");
        tools.className = "read-tools";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "mark-read";
        button.dataset.messageId = id;
        button.textContent = "Mark read";
        const who = document.createElement("span");
        who.className = "read-by";
        who.textContent = readersText(id);
        tools.append(button, who);
        (article.querySelector(".msg-main") || article).append(tools);
    }

    function refresh() {
        for (const article of list.querySelectorAll("article.msg[data-message-id]")) {
            decorate(article);
            const who = article.querySelector(".read-by");
            const text = readersText(article.dataset.messageId);
            // Only a change is written: a write is a mutation, and this runs on every mutation.
            if (who && who.textContent !== text) who.textContent = text;
        }
    }

    list.addEventListener("click", async (event) => {
        const button = event.target.closest?.("button.mark-read");
        if (!button || !readerId()) return;
        button.disabled = true;
        try {
            const res = await fetch("/_sandbox/messages/" + encodeURIComponent(button.dataset.messageId) + "/read", {
                method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reader_id: readerId() }),
            });
            const mark = await res.json().catch(() => ({}));
            if (!res.ok) throw new Error(mark.msg || ("HTTP " + res.status));
            const marks = reads.get(mark.message_id) || [];
            if (!marks.some((m) => m.reader_id === mark.reader_id)) marks.push({ reader_id: mark.reader_id, name: mark.name || readerName(), read_time: mark.read_time });
            reads.set(mark.message_id, marks);
            button.dataset.marked = mark.reader_id;
            refresh();
        } catch (e) {
            button.title = "Not marked: " + e.message;
        } finally {
            button.disabled = false;
        }
    });

    async function load() {
        try {
            const all = await (await fetch("/_sandbox/reads", { cache: "no-store" })).json();
            reads.clear();
            for (const [id, marks] of Object.entries(all || {})) reads.set(id, marks);
        } catch { /* the buttons work without the list */ }
        refresh();
    }

    new MutationObserver(refresh).observe(list, { childList: true, subtree: true });
    load();
})();
