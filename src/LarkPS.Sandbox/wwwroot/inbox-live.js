// Live inbox (issue 21): a composer that posts a message into a chat as a chosen user (the app receives it as
// im.message.receive_v1 over the long connection), and live cards: a click on a callback button, or a submitted
// form, on a card the app sent goes to the app as card.action.trigger; the app's answer comes back as a toast here,
// and a card it returns replaces the clicked one (the inbox's polling shows the new card).
// Everything goes through the sandbox's own /_sandbox/events/* endpoints; no other file's internals are used.
"use strict";

(() => {
    const $ = (id) => document.getElementById(id);
    const el = (tag, attrs, ...children) => {
        const node = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (v === null || v === undefined || v === false) continue;
            if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : String(v));
        }
        for (const c of children.flat()) if (c) node.append(c);
        return node;
    };

    const live = { users: [], chats: [] };
    const sender = el("select", { id: "live-sender", "aria-label": "Post and click as" });
    const chat = el("select", { id: "live-chat", "aria-label": "Post into" });
    const text = el("input", { id: "live-text", type: "text", placeholder: "Message the bot as this user… (@Name mentions)", autocomplete: "off", "aria-label": "Message text" });
    const send = el("button", { id: "live-send", type: "submit", text: "Send" });
    const composer = el("form", { id: "composer", class: "composer", "aria-label": "Composer" },
        el("label", { class: "composer-field" }, el("span", { text: "As" }), sender),
        el("label", { class: "composer-field" }, el("span", { text: "In" }), chat),
        text, send);
    const toast = el("div", { id: "live-toast", class: "live-toast", role: "status", "aria-live": "polite", hidden: true });

    function operatorId() { return sender.value; }

    function showToast(kind, message) {
        toast.className = "live-toast live-toast-" + String(kind || "info").replace(/[^a-z]/g, "");
        toast.textContent = message;
        toast.hidden = false;
        clearTimeout(showToast.timer);
        showToast.timer = setTimeout(() => { toast.hidden = true; }, 8000);
    }

    async function post(path, body) {
        const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const json = await res.json().catch(() => ({}));
        if (!res.ok) throw new Error(json.msg || ("HTTP " + res.status));
        return json;
    }

    async function loadDirectory() {
        try {
            const dir = await (await fetch("/_sandbox/directory")).json();
            live.users = (dir.users || []).filter((u) => !u.resigned);
            live.chats = (dir.chats || []).filter((c) => c.botIsMember);
        } catch { return; }
        sender.replaceChildren(...live.users.map((u) => el("option", { value: u.openId, text: u.name })));
        chat.replaceChildren(...live.chats.map((c) => el("option", { value: c.chatId, text: "# " + c.name })),
            el("option", { value: "", text: "@ p2p with the bot" }));
    }

    composer.addEventListener("submit", async (event) => {
        event.preventDefault();
        const message = text.value.trim();
        if (!message || !operatorId()) return;
        send.disabled = true;
        try {
            const body = { sender_id: operatorId(), text: message };
            if (chat.value) body.chat_id = chat.value;
            await post("/_sandbox/events/message", body);
            text.value = "";
            composer.dataset.lastSent = message;
        } catch (e) {
            showToast("error", "Not sent: " + e.message);
        } finally {
            send.disabled = false;
        }
    });

    // A click on a callback button of a card the app sent (not a user's message): card.action.trigger.
    document.addEventListener("click", async (event) => {
        const button = event.target.closest?.(".card-button[data-callback], .card-button[data-form-action]");
        const article = button?.closest("article.msg[data-message-id]");
        if (!button || !article || article.classList.contains("msg-from-user")) return;
        const action = { message_id: article.dataset.messageId, operator_id: operatorId(), tag: "button" };
        try { if (button.dataset.callback) action.value = JSON.parse(button.dataset.callback); } catch { action.value = button.dataset.callback; }
        if (button.dataset.name) action.name = button.dataset.name;
        const form = button.closest(".card-form");
        if (form && button.dataset.formAction) {
            action.form_value = {};
            for (const input of form.querySelectorAll(".card-input[data-name]")) action.form_value[input.dataset.name] = input.value;
        }
        button.disabled = true;
        article.classList.add("card-waiting");
        try {
            const answer = await post("/_sandbox/events/card-action", action);
            if (!answer.acked) showToast("error", "The app did not answer within 3 s (the user sees 200341)");
            else if (answer.toast) showToast(answer.toast.type, answer.toast.content);
            else showToast("info", answer.card_replaced ? "The app replaced the card" : "The app acknowledged the click");
        } catch (e) {
            showToast("error", "Click not delivered: " + e.message);
        } finally {
            button.disabled = false;
            article.classList.remove("card-waiting");
        }
    });

    const pane = document.querySelector("main.pane") || document.body;
    pane.append(toast, composer);
    loadDirectory();
})();
