// Runs the official Lark Node SDK (@larksuiteoapi/node-sdk) against a LarkPS Sandbox and checks that
// the SDK sees what it would see from Lark: its token flow, paging, sends, uploads and Lark's error codes.
//
//   node conformance.mjs http://127.0.0.1:5000        (or LARK_SANDBOX_URL=…)
//
// Prints ONE JSON object to stdout: {ok, sdkVersion, baseUrl, runId, seed, steps:{name:{ok,code,msg,…}}, mismatches:[…]}.
// Exit code: 0 when every step matched, 1 on any mismatch, 2 on a usage error. SDK logs go to stderr.
// Ids come from LARK_SANDBOX_SEED (JSON, as NodeSdkConformanceTests passes them) or else from the
// sandbox's GET /_sandbox/directory, so the script also works against a sandbox started by hand.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as lark from "@larksuiteoapi/node-sdk";
import { sandboxUrl, createSteps, expect, expectCode, finish } from "./harness.mjs";

const baseUrl = sandboxUrl("conformance.mjs");
const appId = process.env.LARK_SANDBOX_APP_ID || "cli_sandbox";
const appSecret = process.env.LARK_SANDBOX_APP_SECRET || "sandbox-secret";

// stdout carries only the result; the SDK's own logging goes to stderr.
const stderrLogger = {
    error: (...m) => console.error("[sdk error]", ...m.map(brief)),
    warn: (...m) => console.error("[sdk warn]", ...m.map(brief)),
    info: (...m) => console.error("[sdk info]", ...m.map(brief)),
    debug: () => {},
    trace: () => {},
};
function brief(x) {
    if (x && x.isAxiosError) return `axios ${x.response?.status ?? ""} ${JSON.stringify(x.response?.data ?? x.message)}`;
    if (Array.isArray(x)) return x.map(brief).join(" ");
    return typeof x === "object" ? JSON.stringify(x) : String(x);
}

// A cache of its own per client: the SDK's default cache is process-wide and keyed by app id, so a
// client with a wrong secret would otherwise reuse the good client's token and never see 10014.
function memoryCache() {
    const values = new Map();
    return {
        async get(key, options) {
            const entry = values.get(`${options?.namespace ?? ""}/${String(key)}`);
            return entry && (!entry.expiredTime || entry.expiredTime > Date.now()) ? entry.value : undefined;
        },
        async set(key, value, expiredTime, options) {
            values.set(`${options?.namespace ?? ""}/${String(key)}`, { value, expiredTime });
            return true;
        },
    };
}

function newClient(secret) {
    return new lark.Client({
        appId,
        appSecret: secret,
        appType: lark.AppType.SelfBuild,
        domain: baseUrl,
        cache: memoryCache(),
        logger: stderrLogger,
        loggerLevel: lark.LoggerLevel.warn,
    });
}

// ---- results ---------------------------------------------------------------------------------
// The SDK's own token errors never reach HTTP and say their code in the message ("code: 10014").
const { steps, mismatches, step } = createSteps({ codeFromError: true });

// Checks a successful send/reply answer: Lark's data fields with Lark's shapes.
function expectMessage(extra) {
    return (answer, r) => {
        const p = [];
        expect(p, r.code === 0, `expected code 0, got ${r.code} (${r.msg ?? r.error ?? ""})`);
        const d = answer?.data;
        expect(p, /^om_/.test(d?.message_id ?? ""), `data.message_id should start with om_, got ${d?.message_id}`);
        expect(p, /^oc_/.test(d?.chat_id ?? ""), `data.chat_id should start with oc_, got ${d?.chat_id}`);
        expect(p, /^\d{13}$/.test(d?.create_time ?? ""), `data.create_time should be ms since epoch as a string, got ${JSON.stringify(d?.create_time)}`);
        expect(p, typeof d?.body?.content === "string", "data.body.content should be a string");
        expect(p, d?.sender?.sender_type === "app", `data.sender.sender_type should be "app", got ${d?.sender?.sender_type}`);
        if (extra) p.push(...extra(d));
        return p;
    };
}

// ---- seed ids --------------------------------------------------------------------------------
async function loadSeed() {
    if (process.env.LARK_SANDBOX_SEED) return JSON.parse(process.env.LARK_SANDBOX_SEED);
    const res = await fetch(`${baseUrl}/_sandbox/directory`);
    if (!res.ok) throw new Error(`GET /_sandbox/directory answered ${res.status}`);
    const dir = await res.json();
    const f = (o, ...names) => names.map((n) => o?.[n]).find((v) => v !== undefined);
    const users = (dir.users ?? []).map((u) => ({
        openId: f(u, "open_id", "openId"), email: f(u, "email"), mobile: f(u, "mobile"),
        visible: f(u, "visible") !== false, resigned: f(u, "resigned") === true,
    }));
    const chats = (dir.chats ?? []).map((c) => ({ chatId: f(c, "chat_id", "chatId"), name: f(c, "name"), bot: f(c, "bot_is_member", "botIsMember") !== false }));
    const visible = users.filter((u) => u.visible && !u.resigned && u.email);
    const hidden = users.find((u) => !u.visible && !u.resigned);
    const withBot = chats.filter((c) => c.bot);
    return {
        visibleOpenId: visible[0]?.openId, visibleEmail: visible[0]?.email, visibleMobile: visible[0]?.mobile,
        hiddenOpenId: hidden?.openId, hiddenEmail: hidden?.email,
        chatId: withBot[0]?.chatId, otherChatId: withBot[1]?.chatId, noBotChatId: chats.find((c) => !c.bot)?.chatId,
        botChatCount: withBot.length,
    };
}

// ---- the run ---------------------------------------------------------------------------------
const seed = await loadSeed();
const client = newClient(appSecret);
const runId = `conf-${Date.now().toString(36)}`;
const sent = {};

// 1. Token: the SDK's own token call, then its implicit fetch-and-cache on the first API call.
await step("token", () => client.auth.tenantAccessToken.internal({ data: { app_id: appId, app_secret: appSecret } }), (a, r) => {
    const p = expectCode(0)(a, r);
    expect(p, typeof a?.tenant_access_token === "string" && a.tenant_access_token.length > 0, "tenant_access_token missing at the top level");
    expect(p, Number.isInteger(a?.expire) && a.expire > 0 && a.expire <= 7200, `expire should be seconds left (1..7200), got ${a?.expire}`);
    return p;
});

// 2. Chats the bot is in, one per page, through the SDK's page_token handling.
const pagedIds = [];
await step("chat_list_paged", async () => {
    let pageToken;
    let pages = 0;
    let last;
    do {
        last = await client.im.chat.list({ params: { page_size: 1, page_token: pageToken } });
        pages++;
        if (last?.code !== 0) return last;
        for (const item of last.data?.items ?? []) pagedIds.push(item.chat_id);
        pageToken = last.data?.has_more ? last.data.page_token : undefined;
        if (last.data?.has_more && !pageToken) return { code: -1, msg: "has_more without page_token" };
    } while (pageToken && pages < 50);
    return { ...last, pages };
}, (a, r) => {
    const p = expectCode(0)(a, r);
    r.chatIds = pagedIds;
    r.pages = a?.pages;
    expect(p, pagedIds.includes(seed.chatId), `bot's chat ${seed.chatId} missing from ${JSON.stringify(pagedIds)}`);
    if (seed.otherChatId) expect(p, pagedIds.includes(seed.otherChatId), `bot's chat ${seed.otherChatId} missing`);
    expect(p, !pagedIds.includes(seed.noBotChatId), `chat without the bot ${seed.noBotChatId} listed`);
    expect(p, new Set(pagedIds).size === pagedIds.length, "a chat came back on two pages");
    if (seed.botChatCount) expect(p, a?.pages === seed.botChatCount, `page_size 1 over ${seed.botChatCount} chats should take ${seed.botChatCount} pages, took ${a?.pages}`);
    return p;
});

await step("chat_list_iterator", async () => {
    const ids = [];
    for await (const page of await client.im.chat.listWithIterator({ params: { page_size: 1 } })) {
        if (page === null) return { code: -1, msg: "iterator hit an error" };
        for (const item of page.items ?? []) ids.push(item.chat_id);
    }
    return { code: 0, ids };
}, (a, r) => {
    const p = expectCode(0)(a, r);
    r.chatIds = a?.ids;
    expect(p, JSON.stringify(a?.ids) === JSON.stringify(pagedIds), `iterator saw ${JSON.stringify(a?.ids)}, paging saw ${JSON.stringify(pagedIds)}`);
    return p;
});

// 3. Sends: text, post, a schema 2.0 card and a v1 card into the chat; a text to a user by email.
// Lark allows 5 sends a second into one chat (230020 beyond): pace sends as a careful client does.
let lastSendAt = 0;
async function paced() {
    const wait = lastSendAt + 250 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastSendAt = Date.now();
}
const send = async (receiveIdType, receiveId, msgType, content, uuid) => (await paced(), client.im.message.create({
    params: { receive_id_type: receiveIdType },
    data: { receive_id: receiveId, msg_type: msgType, content: typeof content === "string" ? content : JSON.stringify(content), uuid },
}));

const textContent = { text: `Deploy finished on web-01\nby <at user_id="${seed.visibleOpenId}"></at>` };
sent.text = await step("send_text", () => send("chat_id", seed.chatId, "text", textContent, `${runId}-text`),
    expectMessage((d) => {
        const p = [];
        expect(p, d?.chat_id === seed.chatId, `data.chat_id should be ${seed.chatId}, got ${d?.chat_id}`);
        expect(p, d?.msg_type === "text", `data.msg_type should be text, got ${d?.msg_type}`);
        return p;
    }));

const postContent = {
    zh_cn: { title: "每日报告", content: [[{ tag: "text", text: "全部服务正常。" }]] },
    en_us: {
        title: "Daily report",
        content: [
            [{ tag: "text", text: "All services ", style: [] }, { tag: "text", text: "healthy", style: ["bold"] }, { tag: "text", text: ". " }, { tag: "a", text: "Dashboard", href: "https://example.com/dash" }],
            [{ tag: "at", user_id: seed.visibleOpenId }, { tag: "text", text: " please review" }],
            [{ tag: "hr" }],
            [{ tag: "code_block", language: "bash", text: "systemctl status web" }],
        ],
    },
};
sent.post = await step("send_post", () => send("chat_id", seed.chatId, "post", postContent, `${runId}-post`),
    expectMessage((d) => (d?.msg_type === "post" ? [] : [`data.msg_type should be post, got ${d?.msg_type}`])));

const cardV2 = {
    schema: "2.0",
    header: { title: { tag: "plain_text", content: "Disk usage above 90%" }, template: "red" },
    body: {
        elements: [
            { tag: "markdown", content: "**Host:** db-02\n**Used:** 93%" },
            { tag: "button", text: { tag: "plain_text", content: "Acknowledge" }, type: "primary", behaviors: [{ type: "callback", value: { ack: true } }] },
        ],
    },
};
sent.card = await step("send_interactive_v2", () => send("chat_id", seed.chatId, "interactive", cardV2, `${runId}-card2`),
    expectMessage((d) => (d?.msg_type === "interactive" ? [] : [`data.msg_type should be interactive, got ${d?.msg_type}`])));

const cardV1 = {
    config: { wide_screen_mode: true },
    header: { title: { tag: "plain_text", content: "Release shipped" }, template: "green" },
    elements: [
        { tag: "div", text: { tag: "lark_md", content: "Version **1.4.0** is live." } },
        { tag: "action", actions: [{ tag: "button", text: { tag: "plain_text", content: "Changelog" }, type: "default", url: "https://example.com/changelog" }] },
    ],
};
sent.cardV1 = await step("send_interactive_v1", () => send("chat_id", seed.otherChatId ?? seed.chatId, "interactive", cardV1, `${runId}-card1`),
    expectMessage());

sent.email = await step("send_text_by_email", () => send("email", seed.visibleEmail, "text", { text: "Hello by email" }, `${runId}-email`),
    expectMessage((d) => (d?.chat_id !== seed.chatId ? [] : ["a send to a user should answer the user's p2p chat_id, not a group's"])));

// The same uuid again: Lark sends at most one message; either answer is fine, but no error.
await step("send_duplicate_uuid", () => send("chat_id", seed.chatId, "text", textContent, `${runId}-text`), (a, r) => {
    const p = expectCode(0)(a, r);
    r.sameMessageId = a?.data?.message_id === sent.text?.data?.message_id;
    return p;
});

// 4. Reply, edit, recall.
const textId = sent.text?.data?.message_id;
await paced();
sent.reply = await step("reply", () => client.im.message.reply({
    path: { message_id: textId },
    data: { msg_type: "text", content: JSON.stringify({ text: "Acknowledged" }), uuid: `${runId}-reply` },
}), expectMessage((d) => {
    const p = [];
    expect(p, d?.parent_id === textId, `data.parent_id should be ${textId}, got ${d?.parent_id}`);
    expect(p, d?.chat_id === seed.chatId, `a reply lives in the parent's chat ${seed.chatId}, got ${d?.chat_id}`);
    return p;
}));

await step("edit_text", () => client.im.message.update({
    path: { message_id: sent.reply?.data?.message_id },
    data: { msg_type: "text", content: JSON.stringify({ text: "Acknowledged (edited)" }) },
}), expectCode(0));

const recallTarget = sent.email?.data?.message_id;
await step("recall", () => client.im.message.delete({ path: { message_id: recallTarget } }), expectCode(0));

// 5. Uploads through the SDK's multipart encoding, then an image message with the key. The SDK's README
// passes a Buffer (fs.readFileSync): its multipart part then has NO filename, only
// Content-Type: application/octet-stream. A ReadStream part carries the file's name.
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "larkps-conformance-"));
fs.writeFileSync(path.join(tmp, "pixel.png"), png);
fs.writeFileSync(path.join(tmp, "report.txt"), "hello from the node sdk\n");

function expectKey(field) {
    return (a, r) => {
        const p = expectCode(0)(a, r);
        r[field] = a?.data?.[field];
        expect(p, typeof a?.data?.[field] === "string" && a.data[field].length > 0, `data.${field} missing`);
        return p;
    };
}
// image.create / file.create answer data itself (not {code,data}) and throw on HTTP errors.
const upload = (fn) => async () => ({ code: 0, data: await fn() });

const image = await step("upload_image_buffer", upload(() => client.im.image.create({ data: { image_type: "message", image: png } })), expectKey("image_key"));
const imageFromStream = await step("upload_image_stream", upload(() => client.im.image.create({
    data: { image_type: "message", image: fs.createReadStream(path.join(tmp, "pixel.png")) },
})), expectKey("image_key"));
const imageKey = imageFromStream?.data?.image_key ?? image?.data?.image_key;
await step("send_image", () => send("chat_id", seed.otherChatId ?? seed.chatId, "image", { image_key: imageKey }, `${runId}-image`), expectMessage());

await step("upload_file_buffer", upload(() => client.im.file.create({
    data: { file_type: "stream", file_name: "report.txt", file: Buffer.from("hello from the node sdk\n") },
})), expectKey("file_key"));
await step("upload_file_stream", upload(() => client.im.file.create({
    data: { file_type: "stream", file_name: "report.txt", file: fs.createReadStream(path.join(tmp, "report.txt")) },
})), expectKey("file_key"));
fs.rmSync(tmp, { recursive: true, force: true });

// 6. batch_get_id: a visible user resolves; one outside the visible range comes back without user_id.
await step("batch_get_id", () => client.contact.user.batchGetId({
    params: { user_id_type: "open_id" },
    data: { emails: [seed.visibleEmail, seed.hiddenEmail], mobiles: seed.visibleMobile ? [seed.visibleMobile] : undefined },
}), (a, r) => {
    const p = expectCode(0)(a, r);
    const list = a?.data?.user_list ?? [];
    r.userList = list;
    const byEmail = (e) => list.find((u) => u.email === e);
    expect(p, byEmail(seed.visibleEmail)?.user_id === seed.visibleOpenId, `${seed.visibleEmail} should resolve to ${seed.visibleOpenId}, got ${JSON.stringify(byEmail(seed.visibleEmail))}`);
    expect(p, byEmail(seed.hiddenEmail) !== undefined, `${seed.hiddenEmail} should come back as an item`);
    expect(p, byEmail(seed.hiddenEmail)?.user_id === undefined, `${seed.hiddenEmail} is outside the visible range: no user_id expected`);
    if (seed.visibleMobile) {
        const m = list.find((u) => u.mobile === seed.visibleMobile);
        expect(p, m?.user_id === seed.visibleOpenId, `${seed.visibleMobile} should resolve to ${seed.visibleOpenId}, got ${JSON.stringify(m)}`);
    }
    return p;
});

// 7. Lark's error codes, as the SDK surfaces them.
// The SDK's explicit token call (made by a working client: every SDK call first fetches the client's own
// token) with a wrong secret in its body: Lark answers HTTP 200 with code 10014.
await step("wrong_secret_token_call", () => client.auth.tenantAccessToken.internal({ data: { app_id: appId, app_secret: `${appSecret}-wrong` } }),
    expectCode(10014, 200));
// A client built with a wrong secret: its implicit token fetch fails and the SDK throws with Lark's code.
const wrongClient = newClient(`${appSecret}-wrong`);
await step("wrong_secret_send", () => wrongClient.im.message.create({
    params: { receive_id_type: "chat_id" },
    data: { receive_id: seed.chatId, msg_type: "text", content: JSON.stringify({ text: "never delivered" }) },
}), (a, r) => {
    const p = [];
    expect(p, r.code === 10014, `the SDK should fail its token fetch with code 10014, got ${r.code} (${r.error ?? r.msg})`);
    return p;
});

await step("user_not_visible", () => send("open_id", seed.hiddenOpenId, "text", { text: "hi" }), expectCode(230013, 400));
await step("bot_not_in_chat", () => send("chat_id", seed.noBotChatId, "text", { text: "hi" }), expectCode(230002, 400));
await step("bad_content", () => send("chat_id", seed.chatId, "text", "this is not json"), expectCode(230001, 400));

// ---- report ----------------------------------------------------------------------------------
finish({ steps, mismatches }, { baseUrl, runId, seed });
