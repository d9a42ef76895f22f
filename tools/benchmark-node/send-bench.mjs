// The Node half of the LarkPS benchmark (tools/LarkPS.Benchmark): sends N text messages with the official Lark
// Node SDK (@larksuiteoapi/node-sdk, the copy installed in tests/conformance/node_modules) the way its users do,
// and counts what the SDK reported. Failures are not retried: the SDK does not retry 429 / 99991400 / 230020.
//
//   node send-bench.mjs <url> <sequential|parallel> <count> <receivers.json> [parallelism]
//
// receivers.json: [{"receiveIdType":"open_id|chat_id|mobile|…","receiveId":"…"}, …]; message i (1-based) goes to
// receivers[(i-1) % length] with content {"text":"bench #i"} and a fresh uuid. "mobile" receivers are looked up first,
// 50 a call with contact batch_get_id, inside the timing, as a user of the SDK would (LarkPS does the same inside its run).
// Prints ONE JSON line to stdout: {sent_ok, failed, refused_429, refused_230020, other_errors, lookups, seconds, sdk_version}.
// Exit 0 when the run happened (whatever was lost), 2 on a usage error, 1 when the SDK could not be loaded or the
// token could not be fetched. SDK logs go to stderr.
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const sdkHome = process.env.LARK_SDK_HOME || path.resolve(here, "../../tests/conformance");

const [url, mode, countText, receiversPath, parallelText] = process.argv.slice(2);
const count = Number.parseInt(countText ?? "", 10);
const parallelism = Number.parseInt(parallelText ?? "1", 10);
if (!/^https?:\/\//.test(url ?? "") || !["sequential", "parallel"].includes(mode) || !(count > 0)
    || !receiversPath || !(parallelism > 0)) {
    console.error("usage: node send-bench.mjs <url> <sequential|parallel> <count> <receivers.json> [parallelism]");
    process.exit(2);
}

let lark;
let sdkVersion;
try {
    const require = createRequire(path.join(sdkHome, "package.json"));
    lark = require("@larksuiteoapi/node-sdk");
    sdkVersion = require("@larksuiteoapi/node-sdk/package.json").version;
} catch (err) {
    console.error(`cannot load @larksuiteoapi/node-sdk from ${sdkHome}/node_modules (run tools/install-test-deps.sh): ${err?.message ?? err}`);
    process.exit(1);
}

const receivers = JSON.parse(fs.readFileSync(receiversPath, "utf8"));

// A cache of its own: the SDK's default cache is process-wide (harmless here, but explicit is clearer).
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

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const client = new lark.Client({
    appId: process.env.LARK_SANDBOX_APP_ID || "cli_sandbox",
    appSecret: process.env.LARK_SANDBOX_APP_SECRET || "sandbox-secret",
    appType: lark.AppType.SelfBuild,
    domain: url.replace(/\/+$/, ""),
    cache: memoryCache(),
    // The SDK logs every failed request at error level; 200 of those would drown the benchmark's table.
    logger: quiet,
    loggerLevel: lark.LoggerLevel.error,
});

// The token first, outside the timing, as Connect-Lark fetches it before Send-LarkMessage starts.
try {
    const token = await client.tokenManager.getTenantAccessToken();
    if (!token) throw new Error("no tenant_access_token");
} catch (err) {
    console.error(`could not get a tenant_access_token from ${url}: ${err?.message ?? err}`);
    process.exit(1);
}

const tally = { sent_ok: 0, failed: 0, refused_429: 0, refused_230020: 0, other_errors: 0, lookups: 0 };

// Phone numbers to open_ids, 50 a call; a number Lark does not resolve stays unresolved and its message fails.
async function resolveMobiles() {
    const mobiles = [...new Set(receivers.filter(r => r.receiveIdType === "mobile").map(r => r.receiveId))];
    const found = new Map();
    for (let i = 0; i < mobiles.length; i += 50) {
        tally.lookups++;
        const answer = await client.contact.user.batchGetId({
            params: { user_id_type: "open_id" },
            data: { mobiles: mobiles.slice(i, i + 50) },
        });
        for (const item of answer?.data?.user_list ?? []) {
            if (item.user_id) found.set(item.mobile, item.user_id);
        }
    }
    for (const r of receivers) {
        if (r.receiveIdType === "mobile") {
            const openId = found.get(r.receiveId) ?? [...found.entries()].find(([m]) => m.endsWith(r.receiveId))?.[1];
            r.receiveIdType = "open_id";
            r.receiveId = openId ?? `unresolved:${r.receiveId}`;
        }
    }
}

async function sendOne(i) {
    const receiver = receivers[(i - 1) % receivers.length];
    try {
        const answer = await client.im.message.create({
            params: { receive_id_type: receiver.receiveIdType },
            data: {
                receive_id: receiver.receiveId,
                msg_type: "text",
                content: JSON.stringify({ text: `bench #${i}` }),
                uuid: crypto.randomUUID(),
            },
        });
        // HTTP 200 with a non-zero code comes back as an answer, not an exception.
        if (answer?.code === 0) {
            tally.sent_ok++;
            return;
        }
        countFailure(answer?.code, 200);
    } catch (err) {
        countFailure(err?.response?.data?.code, err?.response?.status);
    }
}

function countFailure(code, http) {
    tally.failed++;
    if (code === 99991400 || http === 429) tally.refused_429++;
    else if (code === 230020) tally.refused_230020++;
    else tally.other_errors++;
}

const started = process.hrtime.bigint();
await resolveMobiles();
if (mode === "sequential") {
    for (let i = 1; i <= count; i++) {
        await sendOne(i);
    }
} else {
    // A pool of workers pulling the next number: at most `parallelism` requests in flight.
    let next = 1;
    const worker = async () => {
        while (next <= count) {
            await sendOne(next++);
        }
    };
    await Promise.all(Array.from({ length: Math.min(parallelism, count) }, worker));
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

console.log(JSON.stringify({ ...tally, seconds, sdk_version: sdkVersion }));
