// Issue 25: runs the official Lark Node SDK (@larksuiteoapi/node-sdk) against a LarkPS Sandbox for reading back:
// im.message.list (by hand and with listWithIterator), im.message.get, im.message.readUsers and
// im.messageResource.get (writeFile), and the codes Lark refuses them with (230002 bot not in the chat, 230012 not
// the bot's own, 230033 past 7 days, 230110 recalled, 230027 without the scope, 234003 key not in the message).
// History, read marks and scopes come from the sandbox's control API (/_sandbox/*), which a real tenant does not have.
//
//   node history.mjs http://127.0.0.1:5000
//
// Prints ONE JSON object to stdout: {ok, sdkVersion, steps:{name:{ok,code,http,msg,…}}, mismatches:[…]}.
// Exit code: 0 when every step matched, 1 on any mismatch, 2 on a usage error.
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sandboxUrl, sandboxSeed, sdkClient, createSteps, expect, expectCode, control as postControl, finish } from "./harness.mjs";

const baseUrl = sandboxUrl("history.mjs");

const seed = sandboxSeed();
const { chatId, noBotChatId, userOpenId } = seed;
const client = sdkClient(baseUrl);

// A download answers 200 with the file itself, no code: that is success.
const { steps, mismatches, step } = createSteps({ codeWhenMissing: 0 });
const control = (path, body) => postControl(baseUrl, path, body);

// A fresh sandbox (issued tokens stay valid), then 120 messages, one a second, ending a minute ago.
await fetch(`${baseUrl}/_sandbox/inbox`, { method: "DELETE" });
const start = Date.now() - 180_000;
await control("/_sandbox/history", { chat_id: chatId, count: 120, start_ms: start, interval_ms: 1000, text: "sdk" });

// Paging by hand: same query, page_token from each answer.
const seen = [];
let token;
let pages = 0;
do {
    const page = await step(`list_page_${pages + 1}`, () => client.im.message.list({
        params: { container_id_type: "chat", container_id: chatId, sort_type: "ByCreateTimeAsc", page_size: 50, ...(token ? { page_token: token } : {}) },
    }), (a, r) => {
        const p = expectCode(0, 200)(a, r);
        expect(p, Array.isArray(a?.data?.items), "data.items should be an array");
        expect(p, typeof a?.data?.has_more === "boolean", "data.has_more should be a boolean");
        for (const m of a?.data?.items ?? []) {
            expect(p, /^om_/.test(m.message_id), "item.message_id should be om_…");
            expect(p, /^\d+$/.test(m.create_time), "item.create_time should be ms as a string");
            expect(p, m.sender?.sender_type === "app" && m.sender?.id_type === "app_id", "a bot's message has sender_type app, id_type app_id");
            expect(p, typeof m.body?.content === "string", "body.content should be a JSON string");
        }
        return p;
    });
    for (const m of page?.data?.items ?? []) seen.push(JSON.parse(m.body.content).text);
    token = page?.data?.has_more ? page.data.page_token : undefined;
    pages++;
} while (token && pages < 10);
await step("list_all_in_order", async () => ({ code: 0 }), () => {
    const p = [];
    expect(p, pages === 3, `120 messages should take 3 pages of 50, took ${pages}`);
    expect(p, seen.length === 120 && seen.every((t, i) => t === `sdk ${i + 1}`), `expected sdk 1..sdk 120 in order, got ${seen.length} (${seen.slice(0, 3)})`);
    return p;
});

// The SDK's own iterator, with a time range in seconds and newest first.
const fromSec = Math.floor((start + 100_000) / 1000);
const iterated = [];
await step("list_with_iterator_time_range", async () => {
    for await (const page of await client.im.message.listWithIterator({
        params: { container_id_type: "chat", container_id: chatId, start_time: String(fromSec), sort_type: "ByCreateTimeDesc", page_size: 7 },
    })) {
        for (const m of page?.items ?? []) iterated.push(m);
    }
    return { code: 0 };
}, (a, r) => {
    const p = expectCode(0)(a, r);
    expect(p, iterated.length > 0 && iterated.every((m) => Number(m.create_time) >= fromSec * 1000), "every message should be at or after start_time");
    expect(p, iterated.every((m, i) => i === 0 || Number(m.create_time) <= Number(iterated[i - 1].create_time)), "ByCreateTimeDesc: newest first");
    expect(p, iterated.length === 20, `messages 101..120 are in range: expected 20, got ${iterated.length}`);
    return p;
});

// One message, read receipts.
const sent = await client.im.message.create({ params: { receive_id_type: "chat_id" }, data: { receive_id: chatId, msg_type: "text", content: JSON.stringify({ text: "read me" }) } });
const sentId = sent.data.message_id;
await step("get_message", () => client.im.message.get({ path: { message_id: sentId } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, a?.data?.items?.length === 1 && a.data.items[0].message_id === sentId, "data.items should be a list holding the message");
    return p;
});
await step("read_users_none", () => client.im.message.readUsers({ path: { message_id: sentId }, params: { user_id_type: "open_id", page_size: 100 } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, Array.isArray(a?.data?.items) && a.data.items.length === 0, "nobody has read it yet");
    return p;
});
await control(`/_sandbox/messages/${sentId}/read`, { reader_id: userOpenId });
await step("read_users_after_mark", () => client.im.message.readUsers({ path: { message_id: sentId }, params: { user_id_type: "open_id" } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    const item = a?.data?.items?.[0];
    expect(p, item?.user_id === userOpenId && item?.user_id_type === "open_id", `the reader should be ${userOpenId}`);
    expect(p, /^\d+$/.test(item?.timestamp ?? ""), "timestamp should be ms as a string");
    return p;
});
const theirs = await control("/_sandbox/messages", { sender_id: userOpenId, chat_id: chatId, msg_type: "text", content: JSON.stringify({ text: "a person's" }) });
await step("read_users_not_sender", () => client.im.message.readUsers({ path: { message_id: theirs.message_id }, params: { user_id_type: "open_id" } }), expectCode(230012, 400));
const old = await client.im.message.create({ params: { receive_id_type: "chat_id" }, data: { receive_id: chatId, msg_type: "text", content: JSON.stringify({ text: "old" }) } });
await control(`/_sandbox/messages/${old.data.message_id}/age`, { days: 8 });
await step("read_users_past_7_days", () => client.im.message.readUsers({ path: { message_id: old.data.message_id }, params: { user_id_type: "open_id" } }), expectCode(230033, 400));
await client.im.message.delete({ path: { message_id: old.data.message_id } }).catch(() => {});
const gone = await client.im.message.create({ params: { receive_id_type: "chat_id" }, data: { receive_id: chatId, msg_type: "text", content: JSON.stringify({ text: "gone" }) } });
await client.im.message.delete({ path: { message_id: gone.data.message_id } });
await step("read_users_recalled", () => client.im.message.readUsers({ path: { message_id: gone.data.message_id }, params: { user_id_type: "open_id" } }), expectCode(230110, 400));
await step("get_message_unknown", () => client.im.message.get({ path: { message_id: "om_00000000000000000000000000000000" } }), expectCode(99992354, 400));
await step("read_users_unknown", () => client.im.message.readUsers({ path: { message_id: "om_00000000000000000000000000000000" }, params: { user_id_type: "open_id" } }), expectCode(99992354, 400));
await step("list_bot_not_in_chat", () => client.im.message.list({ params: { container_id_type: "chat", container_id: noBotChatId } }), expectCode(230002, 400));

// Resources: the uploaded bytes back, and a key that is not the message's.
const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
const file = await client.im.file.create({ data: { file_type: "stream", file_name: "report.bin", file: bytes } });
const fileKey = file?.file_key ?? file?.data?.file_key;
const withFile = await client.im.message.create({ params: { receive_id_type: "chat_id" }, data: { receive_id: chatId, msg_type: "file", content: JSON.stringify({ file_key: fileKey }) } });
const dir = await mkdtemp(join(tmpdir(), "larkps-sdk-"));
try {
    await step("resource_write_file", async () => {
        const resource = await client.im.messageResource.get({ path: { message_id: withFile.data.message_id, file_key: fileKey }, params: { type: "file" } });
        await resource.writeFile(join(dir, "out.bin"));
        const back = await readFile(join(dir, "out.bin"));
        return { code: back.equals(bytes) ? 0 : -1, msg: `${back.length} bytes back` };
    }, expectCode(0));
} finally {
    await rm(dir, { recursive: true, force: true });
}
await step("resource_not_in_message", () => client.im.messageResource.get({ path: { message_id: sentId, file_key: fileKey }, params: { type: "file" } }), (a, r) => {
    // The SDK asks for a stream: Lark's JSON error arrives as one, with an HTTP error status.
    return expectCode(234003, 400)(a, r);
});
await control("/_sandbox/scopes", { revoke: ["im:message"] });
await step("list_missing_scope", () => client.im.message.list({ params: { container_id_type: "chat", container_id: chatId } }), expectCode(230027, 400));
await control("/_sandbox/scopes", { grant: ["im:message"] });

finish({ steps, mismatches });
