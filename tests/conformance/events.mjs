// Runs the official Lark Node SDK's long-connection client (WSClient + EventDispatcher) against a LarkPS Sandbox:
// the SDK fetches the endpoint, opens the WebSocket, pings, receives a message event (whole, then in fragments) and
// a card action, and acknowledges them, the card action with its answer (a toast and a new card). The sandbox's
// records (GET /_sandbox/events) must show every acknowledgement, and no protocol error in the SDK's frames.
//
//   node events.mjs http://127.0.0.1:5000        (the sandbox must run with an app id like cli_0123456789abcdef:
//                                                  LARK_SANDBOX_APP_ID / LARK_SANDBOX_APP_SECRET)
//
// Prints ONE JSON object: {ok, sdkVersion, steps:{name:{ok,…}}, mismatches:[…], records}. Exit 0 when all matched.
import * as lark from "@larksuiteoapi/node-sdk";
import { sandboxUrl, sdkVersion } from "./harness.mjs";

const baseUrl = sandboxUrl("events.mjs");
const appId = process.env.LARK_SANDBOX_APP_ID || "cli_0123456789abcdef";
const appSecret = process.env.LARK_SANDBOX_APP_SECRET || "sandbox-secret";
const seed = JSON.parse(process.env.LARK_SANDBOX_SEED || "{}");

const logger = {
    error: (...m) => console.error("[sdk error]", ...m),
    warn: (...m) => console.error("[sdk warn]", ...m),
    info: (...m) => console.error("[sdk info]", ...m),
    debug: (...m) => console.error("[sdk debug]", ...m),
    trace: () => {},
};

const steps = {};
const mismatches = [];
function check(name, ok, details) {
    steps[name] = { ok: !!ok, ...details };
    if (!ok) mismatches.push({ step: name, ...details });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, predicate, ms = 15000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        const value = await predicate();
        if (value) return value;
        await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}`);
}
async function control(path, body) {
    const res = await fetch(baseUrl + path, body === undefined ? {} : {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    return res.json();
}

const received = { messages: [], cards: [] };
const cardAnswer = {
    toast: { type: "success", content: "Approved by the Node SDK" },
    card: { type: "raw", data: { schema: "2.0", body: { elements: [{ tag: "markdown", content: "Approved (node)" }] } } },
};
const dispatcher = new lark.EventDispatcher({ logger, loggerLevel: lark.LoggerLevel.warn }).register({
    "im.message.receive_v1": async (data) => { received.messages.push(data); },
    "card.action.trigger": async (data) => { received.cards.push(data); return cardAnswer; },
});

let ready = false;
const ws = new lark.WSClient({
    appId, appSecret, domain: baseUrl, logger, loggerLevel: lark.LoggerLevel.warn,
    onReady: () => { ready = true; },
});

let exitCode = 1;
try {
    // Fast pings so the pong's ClientConfig is seen within the run.
    await control("/_sandbox/events/options", { pingInterval: 1, reconnectNonce: 0, reconnectInterval: 1, fragmentBytes: 0 });
    ws.start({ eventDispatcher: dispatcher });
    await until("the WSClient to connect", () => ready);
    check("connect", true, { state: ws.getConnectionStatus().state });

    // 1. A message a user posts in a chat reaches the SDK as im.message.receive_v1.
    const posted = await control("/_sandbox/events/message", { sender_id: seed.aliceOpenId, chat_id: seed.chatId, text: "status please" });
    const message = await until("the message event", () => received.messages.find((m) => m.message?.message_id === posted.items[0].message_id));
    check("message_event", message.message.chat_id === seed.chatId && JSON.parse(message.message.content).text === "status please"
        && message.sender?.sender_id?.open_id === seed.aliceOpenId && message.event_id === posted.items[0].event_id,
        { messageId: message.message.message_id, eventId: message.event_id, content: message.message.content });

    // 2. The same, split into fragments (sum > 1): the SDK joins them.
    await control("/_sandbox/events/options", { fragmentBytes: 64 });
    const long = "a long message ".repeat(40).trim();
    const postedLong = await control("/_sandbox/events/message", { sender_id: seed.aliceOpenId, chat_id: seed.chatId, text: long });
    const fragmented = await until("the fragmented event", () => received.messages.find((m) => m.message?.message_id === postedLong.items[0].message_id));
    check("fragmented_event", JSON.parse(fragmented.message.content).text === long, { length: long.length });
    await control("/_sandbox/events/options", { fragmentBytes: 0 });

    // 3. A card the app sent (through the SDK's own Client), clicked: card.action.trigger, answered with a toast and a card.
    const client = new lark.Client({ appId, appSecret, appType: lark.AppType.SelfBuild, domain: baseUrl, logger, loggerLevel: lark.LoggerLevel.warn });
    const card = { schema: "2.0", body: { elements: [{ tag: "button", text: { tag: "plain_text", content: "Approve" }, behaviors: [{ type: "callback", value: { action: "approve", change: "CHG-1" } }] }] } };
    const sent = await client.im.message.create({ params: { receive_id_type: "chat_id" }, data: { receive_id: seed.chatId, msg_type: "interactive", content: JSON.stringify(card) } });
    const cardId = sent.data.message_id;
    const click = await control("/_sandbox/events/card-action", { message_id: cardId, operator_id: seed.bobOpenId, tag: "button", value: { action: "approve", change: "CHG-1" } });
    const action = received.cards.find((c) => c.context?.open_message_id === cardId);
    check("card_action", action && action.action?.value?.action === "approve" && action.operator?.open_id === seed.bobOpenId,
        { cardId, value: action?.action?.value });
    check("card_answer_seen_by_sandbox", click.acked === true && click.toast?.content === cardAnswer.toast.content && click.card_replaced === true, { click });

    // 4. Pings answered with pongs: the SDK pinged on opening and every PingInterval.
    await sleep(1500);
    const records = await control("/_sandbox/events");
    const connection = records.connections.find((c) => c.closed_at === null);
    check("pings", connection && connection.pings >= 2, { pings: connection?.pings });
    check("no_protocol_errors", records.connections.every((c) => c.protocol_errors.length === 0), { errors: records.connections.flatMap((c) => c.protocol_errors) });
    const byId = (id) => records.deliveries.find((d) => d.event_id === id);
    for (const [name, id] of [["ack_message", posted.items[0].event_id], ["ack_fragmented", postedLong.items[0].event_id], ["ack_card", action?.event_id]]) {
        const d = byId(id);
        const first = d?.attempts?.[0];
        check(name, d?.status === "acked" && first?.ack_code === 200 && first?.outcome === "acked", { delivery: d });
    }
    const cardAck = byId(action?.event_id)?.attempts?.[0];
    check("ack_card_answer", cardAck?.answer && JSON.parse(cardAck.answer).toast?.content === cardAnswer.toast.content, { answer: cardAck?.answer });
    ws.close();
    await sleep(300);
    const after = await control("/_sandbox/events");
    check("closed", after.open_connections === 0, { open: after.open_connections });
    exitCode = mismatches.length === 0 ? 0 : 1;
    console.log(JSON.stringify({ ok: exitCode === 0, sdkVersion, baseUrl, steps, mismatches, records: after }));
} catch (e) {
    mismatches.push({ step: "script", error: String(e?.stack || e) });
    console.log(JSON.stringify({ ok: false, sdkVersion, baseUrl, steps, mismatches }));
    try { ws.close({ force: true }); } catch { /* closing anyway */ }
}
process.exit(exitCode);
