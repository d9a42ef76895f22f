// What every conformance script against a LarkPS Sandbox shares: the SDK's version, the sandbox's address and seed
// from the command line or environment, a quiet SDK client, the steps (an SDK call, its code and HTTP status, the
// problems its check found) and the one JSON result on stdout.
import { createRequire } from "node:module";
import * as lark from "@larksuiteoapi/node-sdk";

const require = createRequire(import.meta.url);

/** The official SDK's version, as npm installed it. */
export const sdkVersion = require("@larksuiteoapi/node-sdk/package.json").version;

/** The sandbox's base URL from argv[2] or LARK_SANDBOX_URL; a usage error (exit 2) without one. */
export function sandboxUrl(script) {
    const url = (process.argv[2] || process.env.LARK_SANDBOX_URL || "").replace(/\/+$/, "");
    if (!/^https?:\/\//.test(url)) {
        console.error(`usage: node ${script} <sandbox base url>   (or set LARK_SANDBOX_URL)`);
        process.exit(2);
    }
    return url;
}

/** The ids the test passes in LARK_SANDBOX_SEED (JSON); {} without. */
export const sandboxSeed = () => (process.env.LARK_SANDBOX_SEED ? JSON.parse(process.env.LARK_SANDBOX_SEED) : {});

/** An SDK client of the sandbox's app that logs only its errors, to stderr (stdout carries the result alone). */
export function sdkClient(baseUrl) {
    return new lark.Client({
        appId: process.env.LARK_SANDBOX_APP_ID || "cli_sandbox",
        appSecret: process.env.LARK_SANDBOX_APP_SECRET || "sandbox-secret",
        appType: lark.AppType.SelfBuild,
        domain: baseUrl,
        loggerLevel: lark.LoggerLevel.error,
        logger: { error: (...m) => console.error("[sdk error]", ...m.map(brief)), warn() {}, info() {}, debug() {}, trace() {} },
    });
}

// A logger must never throw into the SDK: a download's error holds a stream (a circular structure, not JSON).
function brief(x) {
    if (typeof x !== "object" || x === null) return String(x);
    try {
        return JSON.stringify(x?.response?.data ?? x);
    } catch {
        return String(x?.message ?? x);
    }
}

/** Adds text to problems p unless cond holds. */
export const expect = (p, cond, text) => { if (!cond) p.push(text); };

/** A check: Lark's code, and the HTTP status where given (an error answer must carry X-Tt-Logid). */
export const expectCode = (code, http) => (a, r) => {
    const p = [];
    expect(p, r.code === code, `expected code ${code}, got ${r.code} (${r.msg ?? r.error ?? ""})`);
    if (http !== undefined) expect(p, r.http === http, `expected HTTP ${http}, got ${r.http}`);
    if (http >= 400) expect(p, !!r.logId, "error answer lacks the X-Tt-Logid header");
    return p;
};

/**
 * The steps of one run. step(name, fn, check) runs fn (an SDK call; HTTP 4xx/5xx reach us as axios errors with Lark's
 * body in error.response.data, a download's as a stream of it) and records its code, HTTP status and the problems
 * check(answer, result) returns. Options: codeWhenMissing (a 200 answer without a code, e.g. a file), codeFromError
 * (read "code: N" from an error that never reached HTTP, as the SDK's token errors say it).
 */
export function createSteps({ codeWhenMissing = null, codeFromError = false } = {}) {
    const steps = {};
    const mismatches = [];
    async function step(name, fn, check) {
        if (process.env.LARK_TRACE) console.error("step", name);
        const r = { ok: false, code: null, msg: null, http: null };
        let answer;
        try {
            answer = await fn();
            r.code = answer?.code ?? codeWhenMissing;
            r.msg = answer?.msg ?? null;
            r.http = 200;
        } catch (err) {
            if (err?.response) {
                answer = err.response.data;
                // An unread stream holds its socket: read Lark's JSON out of it.
                if (answer && typeof answer.pipe === "function") {
                    const chunks = [];
                    for await (const chunk of answer) chunks.push(Buffer.from(chunk));
                    try { answer = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { answer = null; }
                }
                r.http = err.response.status;
                r.code = answer?.code ?? null;
                r.msg = answer?.msg ?? null;
                r.logId = err.response.headers?.["x-tt-logid"] ?? null;
                r.errorLogId = answer?.error?.log_id ?? null;
            } else {
                r.error = String(err?.message ?? err);
                const m = codeFromError ? /code:\s*(-?\d+)/.exec(r.error) : null;
                if (m) r.code = Number(m[1]);
            }
        }
        if (answer?.data?.message_id) r.messageId = answer.data.message_id;
        let problems;
        try {
            problems = check(answer, r) || [];
        } catch (err) {
            problems = [`check threw: ${err?.message ?? err}`];
        }
        r.ok = problems.length === 0;
        if (!r.ok) {
            r.problems = problems;
            for (const p of problems) mismatches.push(`${name}: ${p}`);
        }
        steps[name] = r;
        return answer;
    }
    return { steps, mismatches, step };
}

/** POSTs body to the sandbox's control API (/_sandbox/…), which a real tenant does not have; throws unless 2xx. */
export async function control(baseUrl, path, body) {
    const res = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
}

/** Prints the one JSON result ({ok, sdkVersion, …extra, steps, mismatches}) and sets the exit code. */
export function finish({ steps, mismatches }, extra = {}) {
    const ok = mismatches.length === 0;
    process.stdout.write(JSON.stringify({ ok, sdkVersion, ...extra, steps, mismatches }, null, 2) + "\n");
    process.exitCode = ok ? 0 : 1;
}
