// Turns one Lark message (msg_type + content JSON) into DOM nodes.
// Every piece of message text goes in through textContent or createTextNode, never innerHTML:
// a message holding "<script>" shows as that text and cannot run.
"use strict";

const LarkRender = (() => {
    // ---- DOM helper -------------------------------------------------------------------------
    function h(tag, attrs, ...children) {
        const el = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (v === undefined || v === null || v === false) continue;
            if (k === "class") el.className = v;
            else if (k === "text") el.textContent = String(v);
            else if (k === "style") el.style.cssText = v;
            else el.setAttribute(k, v === true ? "" : String(v));
        }
        append(el, children);
        return el;
    }

    function append(el, children) {
        for (const c of children.flat(Infinity)) {
            if (c === undefined || c === null || c === false) continue;
            el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
        }
        return el;
    }

    // Only http(s) and mailto links become live: no javascript: URLs from message content.
    function safeHref(url) {
        if (typeof url !== "string") return null;
        return /^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : null;
    }

    function link(text, url) {
        const href = safeHref(url);
        return href
            ? h("a", { href, target: "_blank", rel: "noopener noreferrer", title: href, text })
            : h("span", { class: "link-inert", title: String(url ?? ""), text });
    }

    function str(v) {
        return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
    }

    // ---- Names -----------------------------------------------------------------------------
    // ctx.userName(id) / ctx.chatName(id) come from the directory; ctx.locale picks post/card locales.
    function mention(id, fallbackName, ctx) {
        const idStr = str(id);
        if (idStr === "all") return h("span", { class: "mention", title: "everyone", text: "@all" });
        const name = str(fallbackName) || ctx.userName(idStr) || idStr || "unknown";
        return h("span", { class: "mention", title: idStr, text: "@" + name });
    }

    function pickLocale(obj, ctx) {
        if (!obj || typeof obj !== "object") return null;
        const keys = Object.keys(obj);
        if (keys.length === 0) return null;
        const order = ctx.locale && ctx.locale !== "auto" ? [ctx.locale, "zh_cn", "en_us"] : ["zh_cn", "en_us"];
        for (const k of order) if (obj[k] !== undefined) return { key: k, value: obj[k] };
        return { key: keys[0], value: obj[keys[0]] };
    }

    // ---- Inline text with <at> mentions (text messages, lark_md, markdown) -------------------
    const AT_RE = /<at\s+([^>]*)>([\s\S]*?)<\/at>/gi;
    const ATTR_RE = /(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

    function parseAttrs(s) {
        const attrs = {};
        for (const m of s.matchAll(ATTR_RE)) attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
        return attrs;
    }

    // Splits text on <at …>Name</at>, calling onText for the plain parts.
    function withMentions(text, ctx, onText) {
        const out = [];
        let last = 0;
        for (const m of str(text).matchAll(AT_RE)) {
            if (m.index > last) out.push(...onText(text.slice(last, m.index)));
            const a = parseAttrs(m[1]);
            out.push(mention(a.user_id ?? a.id ?? a.open_id ?? a.email ?? "", m[2], ctx));
            last = m.index + m[0].length;
        }
        if (last < str(text).length) out.push(...onText(str(text).slice(last)));
        return out;
    }

    function plainText(text, ctx) {
        return h("div", { class: "text" }, withMentions(text, ctx, (t) => [t]));
    }

    // ---- A small, safe markdown: **b** *i* ~~s~~ `code` [t](url), lists, headings, quotes ----
    const INLINE_RE = /(\*\*([\s\S]+?)\*\*)|(~~([\s\S]+?)~~)|(`([^`]+)`)|(\[([^\]]+)\]\(([^)\s]+)\))|(\*([^*\s][^*]*?)\*)|(<font[^>]*>([\s\S]*?)<\/font>)|(<(?:br|br\/|br \/)>)/gi;

    function inlineMd(text, ctx) {
        return withMentions(text, ctx, (t) => inlinePlain(t, ctx));
    }

    // Card markdown shows a markup character typed as &#N; (and ~ as &sim;) as that character: decoded after the
    // markdown is parsed, so "&#42;&#42;x&#42;&#42;" shows as **x**, never as bold. Text only: never HTML.
    function decodeEntities(text) {
        return text.replace(/&#(\d{1,7});|&#x([0-9a-f]{1,6});|&sim;/gi, (m, dec, hex) => {
            const code = dec ? parseInt(dec, 10) : hex ? parseInt(hex, 16) : 0x7e;
            return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
        });
    }

    function inlinePlain(text, ctx) {
        const out = [];
        let last = 0;
        for (const m of text.matchAll(INLINE_RE)) {
            if (m.index > last) out.push(decodeEntities(text.slice(last, m.index)));
            if (m[1]) out.push(h("strong", null, inlinePlain(m[2], ctx)));
            else if (m[3]) out.push(h("s", null, inlinePlain(m[4], ctx)));
            else if (m[5]) out.push(h("code", { text: m[6] }));
            else if (m[7]) out.push(link(m[8], m[9]));
            else if (m[10]) out.push(h("em", null, inlinePlain(m[11], ctx)));
            else if (m[12]) out.push(h("span", { class: "md-font" }, inlinePlain(m[13], ctx)));
            else if (m[14]) out.push(h("br"));
            last = m.index + m[0].length;
        }
        if (last < text.length) out.push(decodeEntities(text.slice(last)));
        return out;
    }

    function markdown(text, ctx) {
        const root = h("div", { class: "md" });
        const lines = str(text).split(/\r?\n/);
        let list = null;
        let fence = null;
        for (const line of lines) {
            if (fence) {
                if (/^\s*```/.test(line)) { root.appendChild(h("pre", { class: "code", text: fence.join("\n") })); fence = null; }
                else fence.push(line);
                continue;
            }
            if (/^\s*```/.test(line)) { fence = []; list = null; continue; }
            const item = /^\s*(?:[-*+]|\d+\.)\s+(.*)$/.exec(line);
            if (item) {
                if (!list) { list = h(/^\s*\d/.test(line) ? "ol" : "ul"); root.appendChild(list); }
                list.appendChild(h("li", null, inlineMd(item[1], ctx)));
                continue;
            }
            list = null;
            const heading = /^\s*(#{1,6})\s+(.*)$/.exec(line);
            if (heading) { root.appendChild(h("div", { class: "md-h md-h" + heading[1].length }, inlineMd(heading[2], ctx))); continue; }
            const quote = /^\s*>\s?(.*)$/.exec(line);
            if (quote) { root.appendChild(h("blockquote", null, inlineMd(quote[1], ctx))); continue; }
            if (/^\s*(---+|\*\*\*+)\s*$/.test(line)) { root.appendChild(h("hr")); continue; }
            root.appendChild(line.trim() === "" ? h("div", { class: "md-gap" }) : h("div", { class: "md-p" }, inlineMd(line, ctx)));
        }
        if (fence) root.appendChild(h("pre", { class: "code", text: fence.join("\n") }));
        return root;
    }

    // ---- Placeholders for media --------------------------------------------------------------
    function placeholder(kind, rows) {
        return h("div", { class: "attachment attachment-" + kind.toLowerCase() },
            h("span", { class: "attachment-icon", "aria-hidden": "true", text: kind.slice(0, 1) }),
            h("div", { class: "attachment-body" },
                h("div", { class: "attachment-kind", text: kind }),
                rows.filter(([, v]) => v !== undefined && v !== null && v !== "")
                    .map(([k, v]) => h("div", { class: "attachment-row" }, h("span", { class: "k", text: k }), h("code", { text: str(v) })))));
    }

    // An upload the sandbox holds: the image itself, or the file's name and size as uploaded.
    function uploaded(kind, attachment, rows) {
        const box = placeholder(kind, attachment?.file_name ? [["file_name", attachment.file_name], ...rows, ["size", attachment.size + " bytes"]] : rows);
        if (attachment?.url && /^\/_sandbox\/uploads\/[A-Za-z0-9_%-]+$/.test(attachment.url)) {
            box.appendChild(h("img", { class: "attachment-image", src: attachment.url, alt: kind, loading: "lazy" }));
        }
        return box;
    }

    // ---- post --------------------------------------------------------------------------------
    function postNode(node, ctx) {
        if (!node || typeof node !== "object") return document.createTextNode(str(node));
        switch (node.tag) {
            case "text": {
                const styles = Array.isArray(node.style) ? node.style : [];
                const cls = styles.map((s) => "st-" + String(s).replace(/[^a-zA-Z]/g, "")).join(" ");
                return h("span", { class: cls || null }, withMentions(str(node.text), ctx, (t) => [t]));
            }
            case "a": return link(str(node.text) || str(node.href), node.href);
            case "at": return mention(node.user_id, node.user_name, ctx);
            case "img": return placeholder("Image", [["image_key", node.image_key]]);
            case "media": return placeholder("Video", [["file_key", node.file_key], ["image_key", node.image_key]]);
            case "emotion": return h("span", { class: "emotion", title: "emoji_type", text: ":" + str(node.emoji_type) + ":" });
            case "hr": return h("hr");
            case "code_block": return h("pre", { class: "code", "data-language": str(node.language) || null, text: str(node.text) });
            case "md": return markdown(node.text, ctx);
            default: return h("span", { class: "unknown", text: "[" + str(node.tag || "?") + "]" });
        }
    }

    const BLOCK_TAGS = new Set(["hr", "code_block", "md", "img", "media"]);

    function post(content, ctx) {
        // Sent form {zh_cn:{title,content}} or, as Lark returns it, {title,content} directly.
        let body = content;
        let localeTag = null;
        if (content && content.post && typeof content.post === "object") body = content.post;
        if (!Array.isArray(body?.content)) {
            const picked = pickLocale(body, ctx);
            const others = Object.keys(body || {}).filter((k) => k !== picked?.key);
            localeTag = picked ? picked.key + (others.length ? " · also " + others.join(", ") : "") : null;
            body = picked?.value;
        }
        const root = h("div", { class: "post" });
        if (localeTag) root.appendChild(h("span", { class: "locale-tag", title: "pick the locale at the top right", text: localeTag }));
        if (body?.title) root.appendChild(h("div", { class: "post-title", text: str(body.title) }));
        for (const para of Array.isArray(body?.content) ? body.content : []) {
            const p = h("div", { class: "post-para" });
            for (const node of Array.isArray(para) ? para : [para]) {
                const el = postNode(node, ctx);
                if (BLOCK_TAGS.has(node?.tag)) el.classList?.add("block");
                p.appendChild(el);
            }
            root.appendChild(p);
        }
        return root;
    }

    // ---- interactive (cards) -----------------------------------------------------------------
    const TEMPLATES = new Set(["blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine",
        "violet", "purple", "indigo", "grey", "gray", "default"]);

    function textObj(t, ctx) {
        if (t === undefined || t === null) return null;
        if (typeof t === "string") return h("span", null, t);
        // v1 cards localise with "i18n", schema 2.0 with "i18n_content".
        const i18n = t.i18n_content || t.i18n;
        const content = i18n && Object.keys(i18n).length ? pickLocale(i18n, ctx)?.value : t.content ?? t.text;
        if (t.tag === "lark_md" || t.tag === "markdown") return markdown(content, ctx);
        return h("span", { class: "plain" }, withMentions(str(content), ctx, (x) => [x]));
    }

    function button(b, ctx) {
        const type = str(b.type || "default").replace(/[^a-z_]/gi, "");
        const url = b.url || b.multi_url?.url || (Array.isArray(b.behaviors) ? b.behaviors.find((x) => x?.type === "open_url")?.default_url : undefined);
        const label = b.text ? textObj(b.text, ctx) : str(b.content) || "Button";
        const attrs = { class: "card-button btn-" + type, type: "button", title: url ? "opens " + url : "callback button" };
        // Hooks for live cards (inbox-live.js, issue 21): the callback value a click sends back, the button's name and form role.
        const callback = Array.isArray(b.behaviors) ? b.behaviors.find((x) => x?.type === "callback") : undefined;
        const value = callback ? callback.value : b.value;
        if (value !== undefined) attrs["data-callback"] = JSON.stringify(value);
        if (b.name) attrs["data-name"] = str(b.name);
        if (b.form_action_type || b.action_type === "form_submit") attrs["data-form-action"] = str(b.form_action_type || "submit");
        return h("button", attrs, label);
    }

    // Consecutive buttons (schema 2.0 puts them straight into body.elements) share one row.
    function cardElements(elements, ctx) {
        const out = [];
        let row = null;
        for (const e of Array.isArray(elements) ? elements : []) {
            if (e?.tag === "button") {
                if (!row) { row = h("div", { class: "card-actions" }); out.push(row); }
                row.appendChild(button(e, ctx));
                continue;
            }
            row = null;
            out.push(cardElement(e, ctx));
        }
        return out;
    }

    // ---- table (card JSON 2.0) ---------------------------------------------------------------
    // Lark shows at most 50 columns and page_size rows a page (default 5); the other pages are here too, folded.
    const MAX_COLUMNS = 50;

    function pad(n, width) { return String(n).padStart(width || 2, "0"); }

    // Lark's date_format tokens, in the reader's time zone; RFC 3339 with the local offset when none is given.
    function formatDate(ms, format) {
        const d = new Date(ms);
        if (Number.isNaN(d.getTime())) return String(ms);
        if (!format) {
            const offset = -d.getTimezoneOffset();
            const sign = offset >= 0 ? "+" : "-";
            return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds())
                + sign + pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60);
        }
        const parts = { YYYY: String(d.getFullYear()), MM: pad(d.getMonth() + 1), DD: pad(d.getDate()), HH: pad(d.getHours()), mm: pad(d.getMinutes()), ss: pad(d.getSeconds()) };
        return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (t) => parts[t]);
    }

    function formatNumber(value, format) {
        const n = Number(value);
        if (!Number.isFinite(n)) return String(value);
        const precision = Number.isInteger(format?.precision) ? Math.min(Math.max(format.precision, 0), 10) : undefined;
        const text = n.toLocaleString(undefined, {
            minimumFractionDigits: precision, maximumFractionDigits: precision ?? 20, useGrouping: format?.separator === true,
        });
        return (typeof format?.symbol === "string" ? format.symbol : "") + text;
    }

    function tableCell(column, value, ctx) {
        const type = str(column.data_type || "text");
        const td = h("td", { class: "cell cell-" + type.replace(/[^a-z_]/gi, ""), "data-type": type });
        if (value === undefined || value === null) return td;
        switch (type) {
            case "number": td.textContent = formatNumber(value, column.format); break;
            case "date": td.textContent = formatDate(value, column.date_format); td.title = new Date(Number(value)).toString(); break;
            case "lark_md":
            case "markdown": td.appendChild(markdown(str(value), ctx)); break;
            case "options": append(td, [(Array.isArray(value) ? value : [{ text: value }]).map((o) =>
                h("span", { class: "cell-option opt-" + str(o?.color || "neutral").replace(/[^a-z]/gi, ""), text: str(o?.text ?? o) }))]); break;
            case "persons": append(td, [(Array.isArray(value) ? value : [value]).map((id) => mention(id, null, ctx))]); break;
            // text: shown as typed, whatever it holds (no markdown, no mention, no link).
            default: td.textContent = typeof value === "string" ? value : JSON.stringify(value);
        }
        return td;
    }

    function tablePage(columns, rows, ctx) {
        return h("table", { class: "card-table-page" },
            h("thead", null, h("tr", null, columns.map((c) => h("th", {
                class: str(c.data_type) === "number" ? "num" : null, title: str(c.name), text: str(c.display_name ?? c.name),
            })))),
            h("tbody", null, rows.map((r) => h("tr", null, columns.map((c) => tableCell(c, r && typeof r === "object" ? r[c.name] : undefined, ctx))))));
    }

    function table(e, ctx) {
        const columns = (Array.isArray(e.columns) ? e.columns : []).filter((c) => c && typeof c === "object").slice(0, MAX_COLUMNS);
        const rows = Array.isArray(e.rows) ? e.rows : [];
        const size = Number.isInteger(e.page_size) && e.page_size >= 1 && e.page_size <= 10 ? e.page_size : 5;
        const pages = Math.max(1, Math.ceil(rows.length / size));
        const box = h("div", { class: "card-table", "data-rows": rows.length, "data-page-size": size },
            tablePage(columns, rows.slice(0, size), ctx),
            h("div", { class: "card-table-info", text: rows.length + " row" + (rows.length === 1 ? "" : "s") + " · page 1 of " + pages }));
        for (let p = 1; p < pages; p++) {
            const first = p * size;
            box.appendChild(h("details", { class: "card-table-more" },
                h("summary", { text: "Page " + (p + 1) + " of " + pages + " · rows " + (first + 1) + "–" + Math.min(first + size, rows.length) }),
                tablePage(columns, rows.slice(first, first + size), ctx)));
        }
        return box;
    }

    function cardElement(e, ctx) {
        if (!e || typeof e !== "object") return null;
        switch (e.tag) {
            case "table": return table(e, ctx);
            case "div": {
                // 2.0 has no note component: a grey notation-size div stands in for it.
                const isNote = e.text && typeof e.text === "object" && e.text.text_size === "notation";
                const div = h("div", { class: isNote ? "card-div card-note" : "card-div" }, textObj(e.text, ctx));
                if (Array.isArray(e.fields) && e.fields.length) {
                    div.appendChild(h("div", { class: "card-fields" },
                        e.fields.map((f) => h("div", { class: "card-field" + (f.is_short ? " short" : "") }, textObj(f.text, ctx)))));
                }
                if (e.extra) div.appendChild(h("div", { class: "card-extra" }, cardElement(e.extra, ctx)));
                return div;
            }
            case "markdown":
            case "lark_md": return h("div", { class: "card-md" }, markdown(e.content, ctx));
            case "plain_text": return h("div", { class: "card-text" }, str(e.content));
            case "hr": return h("hr", { class: "card-hr" });
            case "note": return h("div", { class: "card-note" }, (e.elements || []).map((x) =>
                x?.tag === "img" ? placeholder("Image", [["img_key", x.img_key]]) : textObj(x, ctx)));
            case "action": return h("div", { class: "card-actions" }, (e.actions || []).map((a) => cardElement(a, ctx)));
            case "button": return button(e, ctx);
            case "img":
            case "image": return placeholder("Image", [["img_key", e.img_key], ["alt", e.alt?.content]]);
            case "column_set": return h("div", { class: "card-columns" }, (e.columns || []).map((c) =>
                h("div", { class: "card-column" + (c?.width === "auto" ? " width-auto" : "") }, cardElements(c?.elements, ctx))));
            case "column": return h("div", { class: "card-column" }, cardElements(e.elements, ctx));
            case "collapsible_panel": return h("details", { class: "card-panel", open: e.expanded ? true : null },
                h("summary", null, textObj(e.header?.title, ctx) || "Details"), cardElements(e.elements, ctx));
            case "form": return h("div", { class: "card-form", "data-name": e.name ? str(e.name) : null }, cardElements(e.elements, ctx));
            case "input": return h("input", { class: "card-input", type: "text", "data-name": e.name ? str(e.name) : null,
                placeholder: e.placeholder ? str(e.placeholder.content ?? e.placeholder) : "", "aria-label": e.label ? str(e.label.content ?? e.label) : str(e.name || "input") });
            case "person": return mention(e.user_id, null, ctx);
            default: {
                const label = e.text ? textObj(e.text, ctx) : e.content ? str(e.content) : null;
                return h("div", { class: "card-unknown" }, h("span", { class: "tagname", text: str(e.tag || "element") }), label);
            }
        }
    }

    function interactive(content, ctx) {
        if (content?.type === "template") {
            const d = content.data || {};
            const vars = d.template_variable && typeof d.template_variable === "object" ? Object.entries(d.template_variable) : [];
            return h("div", { class: "card card-template" },
                h("div", { class: "card-header tpl-grey" }, h("div", { class: "card-title", text: "Template card" })),
                h("div", { class: "card-body" },
                    h("div", { class: "kv" }, h("span", { class: "k", text: "template_id" }), h("code", { text: str(d.template_id) })),
                    d.template_version_name ? h("div", { class: "kv" }, h("span", { class: "k", text: "version" }), h("code", { text: str(d.template_version_name) })) : null,
                    vars.length ? h("table", { class: "vars" }, vars.map(([k, v]) =>
                        h("tr", null, h("th", { text: k }), h("td", { text: typeof v === "string" ? v : JSON.stringify(v) })))) : null));
        }
        if (content?.type === "card") {
            return h("div", { class: "card card-template" },
                h("div", { class: "card-header tpl-grey" }, h("div", { class: "card-title", text: "Card entity" })),
                h("div", { class: "card-body" }, h("div", { class: "kv" }, h("span", { class: "k", text: "card_id" }), h("code", { text: str(content.data?.card_id) }))));
        }
        const isV2 = str(content?.schema) === "2.0";
        const header = content?.header || (content?.i18n_header ? pickLocale(content.i18n_header, ctx)?.value : null);
        const elements = isV2
            ? content?.body?.elements
            : content?.elements ?? (content?.i18n_elements ? pickLocale(content.i18n_elements, ctx)?.value : undefined);
        const card = h("div", { class: "card" + (isV2 ? " card-v2" : " card-v1") });
        if (header) {
            const tpl = str(header.template).toLowerCase();
            const hd = h("div", { class: "card-header tpl-" + (TEMPLATES.has(tpl) ? tpl : "default") },
                h("div", { class: "card-title" }, textObj(header.title, ctx)));
            if (header.subtitle) hd.appendChild(h("div", { class: "card-subtitle" }, textObj(header.subtitle, ctx)));
            if (Array.isArray(header.text_tag_list)) {
                hd.appendChild(h("div", { class: "card-tags" }, header.text_tag_list.map((t) =>
                    h("span", { class: "card-tag tag-" + str(t.color || "neutral").replace(/[^a-z]/gi, "") }, textObj(t.text, ctx)))));
            }
            card.appendChild(hd);
        }
        card.appendChild(h("div", { class: "card-body" }, cardElements(elements, ctx)));
        card.appendChild(h("div", { class: "card-schema", text: isV2 ? "card · schema 2.0" : "card · v1" }));
        return card;
    }

    // ---- share_chat / share_user -------------------------------------------------------------
    function shareCard(kind, name, id) {
        return h("div", { class: "share" },
            h("span", { class: "share-avatar", "aria-hidden": "true", text: (name || "?").slice(0, 1).toUpperCase() }),
            h("div", null,
                h("div", { class: "share-kind", text: kind }),
                h("div", { class: "share-name", text: name || "(unknown)" }),
                h("code", { class: "share-id", text: id })));
    }

    // ---- entry point -------------------------------------------------------------------------
    function renderBody(msgType, contentString, ctx, attachment) {
        let content;
        try {
            content = typeof contentString === "string" ? JSON.parse(contentString) : contentString;
        } catch {
            return h("div", { class: "raw-fallback" }, h("div", { class: "warn", text: "content is not valid JSON" }), h("pre", { text: str(contentString) }));
        }
        try {
            switch (msgType) {
                case "text": return plainText(content?.text, ctx);
                case "post": return post(content, ctx);
                case "interactive": return interactive(content, ctx);
                case "image": return uploaded("Image", attachment, [["image_key", content?.image_key]]);
                case "file": return uploaded("File", attachment, [["file_key", content?.file_key], ["file_name", attachment?.file_name ? null : content?.file_name]]);
                case "audio": return uploaded("Audio", attachment, [["file_key", content?.file_key], ["duration", content?.duration]]);
                case "media": return uploaded("Video", attachment, [["file_key", content?.file_key], ["image_key", content?.image_key], ["file_name", attachment?.file_name ? null : content?.file_name]]);
                case "sticker": return placeholder("Sticker", [["file_key", content?.file_key]]);
                case "share_chat": return shareCard("Shared group", ctx.chatName(content?.chat_id), str(content?.chat_id));
                case "share_user": return shareCard("Shared contact", ctx.userName(content?.user_id), str(content?.user_id));
                default: return h("pre", { class: "raw", text: JSON.stringify(content, null, 2) });
            }
        } catch (err) {
            return h("div", { class: "raw-fallback" }, h("div", { class: "warn", text: "could not render: " + err }), h("pre", { text: str(contentString) }));
        }
    }

    return { h, renderBody };
})();
