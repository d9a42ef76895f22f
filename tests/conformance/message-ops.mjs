// Runs the official Lark Node SDK (@larksuiteoapi/node-sdk) against a LarkPS Sandbox for acting on sent
// messages: reply (in a thread, uuid de-duplicated), edit (PUT), card update (PATCH) and recall (DELETE),
// and the codes Lark refuses them with. Messages the bot did not send and messages past Lark's windows
// come from the sandbox's control API (/_sandbox/messages), which a real tenant does not have.
//
//   node message-ops.mjs http://127.0.0.1:5000
//
// Prints ONE JSON object to stdout: {ok, sdkVersion, runId, steps:{name:{ok,code,http,msg,…}}, mismatches:[…]}.
// Exit code: 0 when every step matched, 1 on any mismatch, 2 on a usage error.
import { sandboxUrl, sandboxSeed, sdkClient, createSteps, expect, expectCode, control as postControl, finish } from "./harness.mjs";

const baseUrl = sandboxUrl("message-ops.mjs");

const seed = sandboxSeed();
const chatId = seed.chatId || "oc_sandbox_ops";
const userOpenId = seed.userOpenId;

const client = sdkClient(baseUrl);

const { steps, mismatches, step } = createSteps();

const control = (path, body) => postControl(baseUrl, path, body);

// Lark allows 5 messages a second into one chat: pace sends and replies as a careful client does.
let last = 0;
async function paced() {
    const wait = last + 250 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    last = Date.now();
}
const send = async (msgType, content) => (await paced(), client.im.message.create({
    params: { receive_id_type: "chat_id" },
    data: { receive_id: chatId, msg_type: msgType, content: JSON.stringify(content) },
}));
const reply = async (messageId, content, extra) => (await paced(), client.im.message.reply({
    path: { message_id: messageId },
    data: { msg_type: "text", content: JSON.stringify(content), ...extra },
}));
const edit = (messageId, text) => client.im.message.update({ path: { message_id: messageId }, data: { msg_type: "text", content: JSON.stringify({ text }) } });
const patch = (messageId, card) => client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } });
const recall = (messageId) => client.im.message.delete({ path: { message_id: messageId } });

const runId = `ops-${Date.now().toString(36)}`;
const alert = { config: { update_multi: true }, header: { title: { tag: "plain_text", content: "Disk 93% on db-02" }, template: "red" }, elements: [{ tag: "div", text: { tag: "lark_md", content: "**db-02** /var" } }] };
const resolved = { schema: "2.0", config: { update_multi: true }, header: { title: { tag: "plain_text", content: "Resolved: disk 40% on db-02" }, template: "green" }, body: { elements: [{ tag: "markdown", content: "back to normal" }] } };
const unshared = { header: { title: { tag: "plain_text", content: "Not shared" } }, elements: [{ tag: "div", text: { tag: "lark_md", content: "no update_multi" } }] };

const ids = {};
const idOf = (a) => a?.data?.message_id;
ids.alert = idOf(await step("send_shared_card", () => send("interactive", alert), expectCode(0, 200)));
ids.unshared = idOf(await step("send_unshared_card", () => send("interactive", unshared), expectCode(0, 200)));
ids.text = idOf(await step("send_text", () => send("text", { text: "Deploy 1.4 started" }), expectCode(0, 200)));
ids.gone = idOf(await step("send_text_to_recall", () => send("text", { text: "sent by mistake" }), expectCode(0, 200)));

// Reply in the alert's thread: parent, root and thread ids as Lark answers them.
const threadReply = await step("reply_in_thread", () => reply(ids.alert, { text: "Looking into it" }, { reply_in_thread: true, uuid: `${runId}-reply` }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    const d = a?.data;
    expect(p, d?.parent_id === ids.alert, `data.parent_id should be ${ids.alert}, got ${d?.parent_id}`);
    expect(p, d?.root_id === ids.alert, `data.root_id should be ${ids.alert}, got ${d?.root_id}`);
    expect(p, /^omt_/.test(d?.thread_id ?? ""), `data.thread_id should start with omt_, got ${d?.thread_id}`);
    expect(p, d?.chat_id === chatId, `a reply lives in its parent's chat ${chatId}, got ${d?.chat_id}`);
    return p;
});
ids.reply = idOf(threadReply);
await step("reply_duplicate_uuid", () => reply(ids.alert, { text: "Looking into it" }, { reply_in_thread: true, uuid: `${runId}-reply` }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, a?.data?.message_id === ids.reply, `a reply with a used uuid should answer the first reply ${ids.reply}, got ${a?.data?.message_id}`);
    return p;
});
await step("reply_nested", () => reply(ids.reply, { text: "Found it: logrotate" }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, a?.data?.root_id === ids.alert, `a reply to a reply keeps the chain's root ${ids.alert}, got ${a?.data?.root_id}`);
    expect(p, a?.data?.thread_id === threadReply?.data?.thread_id, "a reply to a message in a thread joins that thread");
    return p;
});

// Edit (PUT) answers the message as it now is.
await step("edit_text", () => edit(ids.text, "Deploy 1.4 finished"), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, a?.data?.message_id === ids.text, `data.message_id should be ${ids.text}, got ${a?.data?.message_id}`);
    expect(p, a?.data?.updated === true, "data.updated should be true after an edit");
    expect(p, JSON.parse(a?.data?.body?.content ?? "{}").text === "Deploy 1.4 finished", "data.body.content should hold the new text");
    return p;
});

// Card update (PATCH): an empty data object on success; only shared cards.
await step("patch_card", () => patch(ids.alert, resolved), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, a?.data && typeof a.data === "object" && Object.keys(a.data).length === 0, `data should be {}, got ${JSON.stringify(a?.data)}`);
    return p;
});
await step("patch_unshared_card", () => patch(ids.unshared, resolved), expectCode(230001, 400));
await step("patch_not_a_card", () => patch(ids.text, resolved), expectCode(230001, 400));

// Recall (DELETE), then what Lark says about the message afterwards.
await step("recall", () => recall(ids.gone), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, a?.data && Object.keys(a.data).length === 0, `data should be {}, got ${JSON.stringify(a?.data)}`);
    return p;
});
await step("recall_again", () => recall(ids.gone), expectCode(230110, 400));
await step("edit_recalled", () => edit(ids.gone, "too late"), expectCode(230110, 400));
await step("reply_to_recalled", () => reply(ids.gone, { text: "too late" }), expectCode(230011, 400));

// A message id Lark's gateway cannot resolve: 99992354 ("not a valid {open_message_id} or not exists"), whatever the call.
const unknownId = "om_00000000000000000000000000000000";
await step("reply_to_unknown", () => reply(unknownId, { text: "to nobody" }), expectCode(99992354, 400));
await step("edit_unknown", () => edit(unknownId, "nothing to edit"), expectCode(99992354, 400));
await step("patch_unknown", () => patch(unknownId, resolved), expectCode(99992354, 400));
await step("recall_unknown", () => recall(unknownId), expectCode(99992354, 400));

// Messages the bot did not send, and messages past Lark's windows.
const fromUser = await control("/_sandbox/messages", { sender_id: userOpenId, chat_id: chatId, msg_type: "text", content: JSON.stringify({ text: "a person's message" }) });
await step("edit_not_sender", () => edit(fromUser.message_id, "bot edits a person's message"), expectCode(230071, 400));
await step("recall_not_own", () => recall(fromUser.message_id), expectCode(230026, 400));

ids.old = idOf(await step("send_text_old", () => send("text", { text: "yesterday's news" }), expectCode(0, 200)));
await control(`/_sandbox/messages/${ids.old}/age`, { hours: 25 });
await step("recall_past_window", () => recall(ids.old), expectCode(230009, 400));
await step("edit_past_window", () => edit(ids.old, "rewrite history"), expectCode(230075, 400));

ids.oldCard = idOf(await step("send_shared_card_old", () => send("interactive", alert), expectCode(0, 200)));
await control(`/_sandbox/messages/${ids.oldCard}/age`, { days: 15 });
await step("patch_past_14_days", () => patch(ids.oldCard, resolved), expectCode(230031, 400));

finish({ steps, mismatches }, { baseUrl, runId, ids });
