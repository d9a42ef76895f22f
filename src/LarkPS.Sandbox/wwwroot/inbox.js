// The inbox page: polls the sandbox for what changed since its last look (a cursor, not the whole inbox),
// groups messages into conversations, and keeps the DOM in step without re-rendering what has not changed
// (no flicker, scroll position kept).
"use strict";

(() => {
    const { h, renderBody } = LarkRender;
    const POLL_MS = 1000;
    const DIRECTORY_MS = 15000;
    const PAGE = 300;

    const state = {
        messages: [],
        messageIndex: new Map(), // message_id -> position in messages
        cursor: "",             // the sandbox's cursor: what this page has seen
        dirty: false,           // something outside the inbox (the directory) changed: render again
        directory: { users: [], chats: [] },
        userIndex: new Map(),   // any id or email -> user
        chatIndex: new Map(),   // chat_id -> chat
        selected: decodeURIComponent(location.hash.slice(1)) || "all",
        filter: "",
        locale: new URLSearchParams(location.search).get("locale") || readSetting("larkps.locale") || "auto",
        rendered: new Map(),    // message key -> { sig, el }
        renderedView: null,     // selection + filter + locale the message list was built for
        lastDirectoryAt: 0,
        limit: PAGE,            // how many of the newest messages the current view shows
        shownIds: new Set(),    // message ids in the current view: a reply goes under its root when that is shown
    };

    // localStorage throws where storage is off (some private modes): the setting then lasts one visit.
    function readSetting(name) {
        try { return localStorage.getItem(name); } catch { return null; }
    }

    function writeSetting(name, value) {
        try { localStorage.setItem(name, value); } catch { /* kept for this visit only */ }
    }

    const $ = (id) => document.getElementById(id);
    const els = { nav: $("conversations"), header: $("pane-header"), list: $("messages"), status: $("status"), filter: $("filter"), locale: $("locale"), clear: $("clear") };
    els.older = h("button", { class: "older", type: "button", hidden: true });
    els.items = h("div", { class: "items" });
    els.list.replaceChildren(els.older, els.items);

    // ---- Directory ---------------------------------------------------------------------------
    // {users:[…], chats:[…]}; field names in camelCase (openId) or Lark's snake_case (open_id).
    const snake = (o) => Object.fromEntries(Object.entries(o || {}).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()), v]));

    function loadDirectory(dir) {
        const users = (Array.isArray(dir?.users) ? dir.users : []).map(snake);
        const chats = (Array.isArray(dir?.chats) ? dir.chats : []).map(snake);
        state.directory = { users, chats };
        state.userIndex = new Map();
        for (const u of users) {
            for (const k of ["open_id", "user_id", "union_id", "email", "mobile", "id"]) {
                if (u && u[k]) state.userIndex.set(String(u[k]).toLowerCase(), u);
            }
        }
        state.chatIndex = new Map(chats.filter((c) => c?.chat_id).map((c) => [c.chat_id, c]));
    }

    function userOf(id) {
        return id ? state.userIndex.get(String(id).toLowerCase()) : undefined;
    }

    function userName(id) {
        const u = userOf(id);
        return u ? u.name || u.en_name || u.open_id : "";
    }

    function chatName(id) {
        return state.chatIndex.get(id)?.name || "";
    }

    const ctx = {
        userName,
        chatName,
        get locale() { return state.locale; },
    };

    // ---- Conversations -----------------------------------------------------------------------
    // A message belongs to its chat when sent to a chat_id, else to the user it was sent to
    // (open_id, user_id, union_id and email of one person group together). Replies have no
    // receive_id: they join the conversation whose chat_id they share.
    function conversationsOf(messages) {
        const byChatId = new Map();
        const convs = new Map();
        const keyed = [];
        for (const m of messages) {
            let key;
            let conv;
            // A custom bot (receive_id_type "webhook", receive_id its name) posts into its group's chat.
            if (m.receive_id_type === "chat_id" || m.receive_id_type === "webhook" || (!m.receive_id_type && state.chatIndex.has(m.chat_id))) {
                const chatId = (m.receive_id_type === "webhook" ? m.chat_id : m.receive_id) || m.chat_id;
                key = "chat:" + chatId;
                conv = { key, kind: "chat", id: chatId, name: chatName(chatId) || chatId };
            } else if (m.receive_id_type) {
                const u = userOf(m.receive_id);
                const id = u?.open_id || m.receive_id;
                key = "user:" + (u ? u.open_id : m.receive_id_type + ":" + m.receive_id);
                conv = { key, kind: "user", id, name: u ? userName(id) : m.receive_id, sub: u ? id : m.receive_id_type };
            } else if (m.chat_id && byChatId.has(m.chat_id)) {
                key = byChatId.get(m.chat_id);
            } else {
                key = "chat:" + (m.chat_id || "unknown");
                conv = { key, kind: "chat", id: m.chat_id || "unknown", name: chatName(m.chat_id) || m.chat_id || "unknown" };
            }
            if (m.chat_id && !byChatId.has(m.chat_id)) byChatId.set(m.chat_id, key);
            if (!convs.has(key)) convs.set(key, { ...conv, count: 0, recalled: 0, last: null });
            const c = convs.get(key);
            c.count++;
            if (m.deleted) c.recalled++;
            c.last = m.time;
            keyed.push({ m, key });
        }
        return { convs, keyed };
    }

    // ---- Sidebar -----------------------------------------------------------------------------
    function renderSidebar(convs, total) {
        const groups = [
            ["Chats", [...convs.values()].filter((c) => c.kind === "chat")],
            ["Users", [...convs.values()].filter((c) => c.kind === "user")],
        ];
        const item = (key, title, sub, count, avatar) => h("a", {
            class: "conv" + (state.selected === key ? " selected" : ""),
            href: "#" + encodeURIComponent(key),
            "data-key": key,
        },
        h("span", { class: "avatar avatar-" + avatar, "aria-hidden": "true", text: avatar === "all" ? "*" : (title || "?").slice(0, 1).toUpperCase() }),
        h("span", { class: "conv-text" }, h("span", { class: "conv-name", text: title }), sub ? h("span", { class: "conv-sub", text: sub }) : null),
        h("span", { class: "badge", text: String(count) }));

        const nodes = [item("all", "All messages", "every conversation", total, "all")];
        for (const [label, list] of groups) {
            if (list.length === 0) continue;
            nodes.push(h("div", { class: "nav-heading", text: label }));
            for (const c of list) nodes.push(item(c.key, c.name, c.kind === "chat" ? c.id : c.sub, c.count, c.kind));
        }
        if (total === 0) {
            nodes.push(h("div", { class: "nav-empty", text: "No conversations yet." }));
        }
        const scroll = els.nav.scrollTop;
        els.nav.replaceChildren(...nodes);
        els.nav.scrollTop = scroll;
    }

    // ---- Messages ----------------------------------------------------------------------------
    function fmtTime(iso) {
        const d = new Date(iso);
        if (Number.isNaN(d.getTime())) return String(iso ?? "");
        const p = (n) => String(n).padStart(2, "0");
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }

    function messageKey(m, index) {
        return m.message_id || "idx-" + index;
    }

    function messageSig(m) {
        return [m.content, m.deleted, m.edits, m.msg_type, m.parent_id, state.locale, state.directory.users.length, state.directory.chats.length,
            m.card_updates, (m.revisions || []).length, m.root_id, m.thread_id, m.sender_type, !!state.shownIds?.has(m.root_id)].join("\u0001");
    }

    function renderMessage(m, conv, showConversation) {
        const meta = h("div", { class: "msg-meta" },
            h("span", { class: "type type-" + String(m.msg_type || "unknown").replace(/[^a-z_]/gi, ""), text: m.msg_type || "?" }),
            showConversation && conv ? h("a", { class: "msg-conv", href: "#" + encodeURIComponent(conv.key), text: (conv.kind === "chat" ? "# " : "@ ") + conv.name }) : null,
            m.deleted ? h("span", { class: "recalled-badge", text: "recalled" }) : null,
            m.edits > 0 ? h("span", { class: "edited-badge", title: `edited ${m.edits} time${m.edits === 1 ? "" : "s"}`, text: "edited" }) : null,
            m.card_updates > 0 ? h("span", { class: "edited-badge updated-badge", title: `card updated ${m.card_updates} time${m.card_updates === 1 ? "" : "s"}`, text: "updated" }) : null,
            m.thread_id ? h("span", { class: "thread-badge", title: m.thread_id, text: "thread" }) : null,
            m.sender_type === "user" ? h("span", { class: "sender-name", title: m.sender_id, text: userName(m.sender_id) || m.sender_id }) : null,
            h("time", { class: "msg-time", datetime: m.time, title: m.time, text: fmtTime(m.time) }));
        const ids = h("div", { class: "msg-ids" },
            idField("message_id", m.message_id),
            idField("uuid", m.uuid),
            idField("to", m.receive_id ? `${m.receive_id_type}:${m.receive_id}` : ""),
            m.chat_id !== m.receive_id ? idField("chat_id", m.chat_id) : null,
            m.parent_id ? idField("reply to", m.parent_id) : null,
            m.root_id && m.root_id !== m.parent_id ? idField("root", m.root_id) : null,
            m.thread_id ? idField("thread_id", m.thread_id) : null);
        let pretty = m.content;
        try { pretty = JSON.stringify(JSON.parse(m.content), null, 2); } catch { /* shown as sent */ }
        ids.appendChild(h("details", { class: "msg-raw" }, h("summary", { text: "content JSON" }), h("pre", { text: String(pretty ?? "") })));
        const fromUser = m.sender_type === "user";
        const avatar = fromUser ? (userName(m.sender_id) || "U").slice(0, 1).toUpperCase() : "B";
        return h("article", {
            class: "msg" + (m.deleted ? " msg-recalled" : "") + (m.root_id && state.shownIds?.has(m.root_id) ? " msg-reply" : "") + (fromUser ? " msg-from-user" : ""),
            "data-message-id": m.message_id || null,
            "data-root-id": m.root_id || null,
        },
            h("div", { class: "msg-avatar" + (fromUser ? " msg-avatar-user" : ""), "aria-hidden": "true", text: avatar }),
            h("div", { class: "msg-main" }, meta, m.parent_id ? replyQuote(m.parent_id) : null,
                messageBody(m), history(m), ids));
    }

    // A recalled message shows as recalled, as Lark's clients do; what it said stays one click away.
    function messageBody(m) {
        if (!m.deleted) return h("div", { class: "msg-body" }, renderBody(m.msg_type, m.content, ctx, m.attachment));
        return h("div", { class: "msg-body msg-body-recalled" },
            h("div", { class: "recalled-note", text: "This message was recalled" + (m.recall_time ? " at " + fmtTime(m.recall_time) : "") }),
            h("details", { class: "recalled-original" }, h("summary", { text: "what it said" }), renderBody(m.msg_type, m.content, ctx, m.attachment)));
    }

    // Every earlier version of an edited message or updated card, newest first.
    function history(m) {
        const revisions = Array.isArray(m.revisions) ? m.revisions : [];
        if (revisions.length === 0) return null;
        const n = revisions.length;
        return h("details", { class: "msg-history" },
            h("summary", { text: `${n} earlier version${n === 1 ? "" : "s"}` }),
            [...revisions].reverse().map((r) => h("div", { class: "revision" },
                h("div", { class: "revision-meta", text: `${r.how === "update" ? "card updated" : "edited"} ${fmtTime(r.replaced_at)}; before that:` }),
                h("div", { class: "revision-body" }, renderBody(m.msg_type, r.content, ctx)))));
    }

    // Replies go under the message their chain started from (in time order), as a thread does in Lark.
    function threaded(visible) {
        const ids = new Set(visible.map(({ m }) => m.message_id));
        const children = new Map();
        const top = [];
        for (const item of visible) {
            const root = item.m.root_id;
            if (root && ids.has(root)) {
                if (!children.has(root)) children.set(root, []);
                children.get(root).push(item);
            } else {
                top.push(item);
            }
        }
        state.shownIds = ids;
        return top.flatMap((item) => [item, ...(children.get(item.m.message_id) || [])]);
    }

    // A reply shows a one-line quote of the message it answers, as Lark's clients do.
    function replyQuote(parentId) {
        const parent = state.messages.find((x) => x.message_id === parentId);
        let gist = parent ? "[" + parent.msg_type + "]" : parentId;
        if (parent) {
            try {
                const c = JSON.parse(parent.content);
                const post = c.title !== undefined ? c : c.zh_cn || c.en_us || Object.values(c)[0];
                gist = c.text ?? post?.title ?? c.header?.title?.content ?? gist;
            } catch { /* keep the type */ }
        }
        const plain = String(gist)
            .replace(/<at\s+[^>]*?(?:user_id|id)\s*=\s*["']?([^"'\s>]+)["']?[^>]*>([\s\S]*?)<\/at>/gi,
                (_, id, name) => "@" + (name || (id === "all" ? "all" : userName(id) || id)))
            .replace(/\s+/g, " ");
        return h("div", { class: "msg-quote", title: "reply to " + parentId }, plain.slice(0, 120));
    }

    function idField(label, value) {
        if (!value) return null;
        return h("span", { class: "id-field" }, h("span", { class: "k", text: label }), h("code", { text: String(value) }));
    }

    function matchesFilter(m, conv) {
        if (!state.filter) return true;
        const hay = [m.content, m.msg_type, m.message_id, m.uuid, m.receive_id, m.chat_id, conv?.name].join(" ").toLowerCase();
        return hay.includes(state.filter);
    }

    function renderMessages(convs, keyed) {
        const conv = state.selected === "all" ? null : convs.get(state.selected);
        const visible = threaded(keyed.filter(({ m, key }) => (state.selected === "all" || key === state.selected) && matchesFilter(m, convs.get(key))));

        // Header
        const title = state.selected === "all" ? "All messages" : conv ? (conv.kind === "chat" ? "# " : "@ ") + conv.name : "Conversation";
        const sub = state.selected === "all"
            ? `${keyed.length} message${keyed.length === 1 ? "" : "s"} in ${convs.size} conversation${convs.size === 1 ? "" : "s"}`
            : conv ? `${conv.kind === "chat" ? "chat_id" : "open_id"} ${conv.id} · ${conv.count} message${conv.count === 1 ? "" : "s"}` : "no messages yet";
        els.header.replaceChildren(h("div", { class: "pane-title", text: title }), h("div", { class: "pane-sub", text: sub + (state.filter ? ` · filtered by “${state.filter}”` : "") }));

        // Keep the reader at the bottom only if they were there already.
        const atBottom = els.list.scrollHeight - els.list.scrollTop - els.list.clientHeight < 40;
        const viewKey = [state.selected, state.filter, state.locale].join("\u0001");
        if (state.renderedView !== viewKey) {
            els.items.replaceChildren();
            state.rendered.clear();
            state.renderedView = viewKey;
            state.limit = PAGE;
        }

        // A long run (a benchmark sends thousands) shows its newest messages; older ones on request.
        const hidden = Math.max(0, visible.length - state.limit);
        els.older.hidden = hidden === 0;
        els.older.textContent = `Show ${Math.min(hidden, PAGE)} older message${hidden === 1 ? "" : "s"} (${hidden} not shown)`;
        const shown = hidden ? visible.slice(hidden) : visible;

        if (shown.length === 0) {
            els.items.replaceChildren(h("div", { class: "empty" },
                h("div", { class: "empty-title", text: keyed.length ? "No messages match." : "No messages yet." }),
                h("div", { class: "empty-sub", text: keyed.length ? "Clear the filter or pick another conversation." : "Send one to the sandbox and it shows up here within a second." })));
            state.rendered.clear();
            return;
        }
        els.items.querySelector(".empty")?.remove();

        // Keyed update: reuse nodes whose message did not change; insert new ones in order.
        const wanted = new Set();
        let prev = null;
        shown.forEach(({ m, key }, i) => {
            const mk = messageKey(m, i);
            wanted.add(mk);
            const sig = messageSig(m);
            let entry = state.rendered.get(mk);
            if (!entry || entry.sig !== sig) {
                const el = renderMessage(m, convs.get(key), state.selected === "all");
                if (entry) entry.el.replaceWith(el);
                entry = { sig, el };
                state.rendered.set(mk, entry);
            }
            const expectedPos = prev ? prev.nextSibling : els.items.firstChild;
            if (expectedPos !== entry.el) els.items.insertBefore(entry.el, expectedPos);
            prev = entry.el;
        });
        for (const [mk, entry] of state.rendered) {
            if (!wanted.has(mk)) { entry.el.remove(); state.rendered.delete(mk); }
        }
        if (atBottom) els.list.scrollTop = els.list.scrollHeight;
    }

    function render() {
        const { convs, keyed } = conversationsOf(state.messages);
        renderSidebar(convs, state.messages.length);
        renderMessages(convs, keyed);
    }

    // ---- Polling -----------------------------------------------------------------------------
    function setStatus(kind, text) {
        els.status.className = "status status-" + kind;
        els.status.textContent = text;
    }

    async function fetchDirectory() {
        try {
            const r = await fetch("/_sandbox/directory", { cache: "no-store" });
            if (r.ok) {
                loadDirectory(await r.json());
                state.lastDirectoryAt = Date.now();
                return true;
            }
        } catch { /* the inbox still works with raw ids */ }
        return false;
    }

    async function poll() {
        try {
            if (Date.now() - state.lastDirectoryAt > DIRECTORY_MS) {
                const before = state.directory.users.length + state.directory.chats.length;
                await fetchDirectory();
                if (before !== state.directory.users.length + state.directory.chats.length) state.dirty = true;
            }
            let more = true;
            while (more) {
                const r = await fetch("/_sandbox/inbox?since=" + encodeURIComponent(state.cursor), { cache: "no-store" });
                if (!r.ok) throw new Error("HTTP " + r.status);
                const page = await r.json();
                if (page.reset) {
                    // The sandbox was reset since the last look: start over.
                    state.messages = [];
                    state.messageIndex = new Map();
                    state.dirty = true;
                }
                for (const raw of Array.isArray(page.items) ? page.items : []) {
                    const m = snake(raw);
                    const at = state.messageIndex.get(m.message_id);
                    if (at === undefined) {
                        state.messageIndex.set(m.message_id, state.messages.length);
                        state.messages.push(m);
                    } else {
                        state.messages[at] = m;
                    }
                    state.dirty = true;
                }
                state.cursor = typeof page.cursor === "string" ? page.cursor : "";
                more = page.has_more === true;
            }
            if (state.dirty) {
                state.dirty = false;
                render();
            }
            setStatus("live", `live · ${state.messages.length} message${state.messages.length === 1 ? "" : "s"}`);
        } catch (err) {
            setStatus("offline", "sandbox unreachable");
            console.warn("inbox poll failed", err);
        } finally {
            setTimeout(poll, POLL_MS);
        }
    }

    // ---- Controls ----------------------------------------------------------------------------
    window.addEventListener("hashchange", () => {
        state.selected = decodeURIComponent(location.hash.slice(1)) || "all";
        render();
        els.list.scrollTop = els.list.scrollHeight;
    });
    els.filter.addEventListener("input", () => {
        state.filter = els.filter.value.trim().toLowerCase();
        render();
    });
    els.older.addEventListener("click", () => {
        // Keep the message that was on top where it is while older ones appear above it.
        const before = els.list.scrollHeight - els.list.scrollTop;
        state.limit += PAGE;
        render();
        els.list.scrollTop = els.list.scrollHeight - before;
    });
    els.clear.addEventListener("click", async () => {
        if (!confirm("Clear the inbox? This resets the sandbox: messages, recorded requests, stats and faults.")) return;
        try {
            await fetch("/_sandbox/inbox", { method: "DELETE" });
        } finally {
            state.dirty = true;
            location.hash = "";
        }
    });
    els.locale.value = state.locale;
    els.locale.addEventListener("change", () => {
        state.locale = els.locale.value;
        writeSetting("larkps.locale", state.locale);
        render();
    });

    render();
    poll();
})();
