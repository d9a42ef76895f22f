// Runs the official Lark Node SDK (@larksuiteoapi/node-sdk) against a LarkPS Sandbox for broadcasts (issue 23):
// message v4 batch_send (the SDK has no typed method: client.request, which resolves on HTTP 200 whatever code
// says), im.v1 batchMessage getProgress / readUser / delete, and the department directory: contact.department
// children (paged) and get, contact.user.findByDepartment. A read is marked through the sandbox's control API
// (/_sandbox/batch_messages/{id}/read), which a real tenant does not have (there a person opens the message).
//
//   node broadcast.mjs http://127.0.0.1:5000
//
// Prints ONE JSON object to stdout: {ok, sdkVersion, steps:{name:{ok,code,http,msg,…}}, facts:{…}, mismatches:[…]}.
// Exit code: 0 when every step matched, 1 on any mismatch, 2 on a usage error.
import { sandboxUrl, sandboxSeed, sdkClient, createSteps, expect, expectCode, control as postControl, finish } from "./harness.mjs";

const baseUrl = sandboxUrl("broadcast.mjs");

const seed = sandboxSeed();
const engineering = seed.engineeringId;   // Engineering: alice, and Platform (bob, erin) under it
const sales = seed.salesId;               // Sales: direct members carol (outside the app's range), dave (resigned), erin
const aliceOpenId = seed.aliceOpenId;
if (!engineering || !sales || !aliceOpenId) {
    console.error("LARK_SANDBOX_SEED must give engineeringId, salesId and aliceOpenId");
    process.exit(2);
}

const client = sdkClient(baseUrl);

const { steps, mismatches, step } = createSteps();

const facts = {};
const control = (path, body) => postControl(baseUrl, path, body);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// batch_send: the SDK's generic request (no typed method in 1.74); content is an object, not a string.
const batchSend = (data) => client.request({ method: "POST", url: "/open-apis/message/v4/batch_send/", data });
const unknownOpenId = "ou_00000000000000000000000000000000";

const sent = await step("batch_send", () => batchSend({
    msg_type: "text", content: { text: "Maintenance tonight 22:00" }, department_ids: [engineering], open_ids: [unknownOpenId],
}), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    expect(p, /^bm-/.test(a?.data?.message_id ?? ""), `message_id should start bm-, got ${a?.data?.message_id}`);
    expect(p, JSON.stringify(a?.data?.invalid_open_ids ?? []) === JSON.stringify([unknownOpenId]), `invalid_open_ids should name the unknown id, got ${JSON.stringify(a?.data?.invalid_open_ids)}`);
    expect(p, (a?.data?.invalid_department_ids ?? []).length === 0, `no department is invalid, got ${JSON.stringify(a?.data?.invalid_department_ids)}`);
    return p;
});
const bm = sent?.data?.message_id;
facts.batchMessageId = bm;

const many = Array.from({ length: 201 }, (_, i) => `ou_${i.toString(16).padStart(32, "0")}`);
await step("batch_send_201_open_ids", () => batchSend({ msg_type: "text", content: { text: "too many" }, open_ids: many }), expectCode(10003, 200));
await step("batch_send_root_department", () => batchSend({ msg_type: "text", content: { text: "everyone" }, department_ids: ["0"] }), expectCode(10003, 200));
await step("batch_send_no_receivers", () => batchSend({ msg_type: "text", content: { text: "nobody" } }), expectCode(10003, 200));
await step("batch_send_chat_type", () => batchSend({ msg_type: "audio", content: { file_key: "x" }, open_ids: [aliceOpenId] }), expectCode(10003, 200));

// Progress: asynchronous, so ask until every valid receiver is pushed (0 == 0 before scheduling is not done).
let progress;
for (let i = 0; i < 100; i++) {
    progress = (await client.im.batchMessage.getProgress({ path: { batch_message_id: bm } }))?.data?.batch_message_send_progress;
    if (progress && progress.valid_user_ids_count > 0 && progress.success_user_ids_count === progress.valid_user_ids_count) break;
    await sleep(100);
}
await step("get_progress", () => client.im.batchMessage.getProgress({ path: { batch_message_id: bm } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    const s = a?.data?.batch_message_send_progress;
    const rc = a?.data?.batch_message_recall_progress;
    facts.progress = s;
    expect(p, s?.valid_user_ids_count === 3, `valid_user_ids_count should be 3 (Engineering's subtree), got ${s?.valid_user_ids_count}`);
    expect(p, s?.success_user_ids_count === 3, `success_user_ids_count should reach 3, got ${s?.success_user_ids_count}`);
    expect(p, s?.read_user_ids_count === 0, `nobody read it yet, got ${s?.read_user_ids_count}`);
    expect(p, rc?.recall === false && rc?.recall_count === 0, `not recalled, got ${JSON.stringify(rc)}`);
    return p;
});

await control(`/_sandbox/batch_messages/${bm}/read`, { open_id: aliceOpenId });
await step("read_user", () => client.im.batchMessage.readUser({ path: { batch_message_id: bm } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    const u = a?.data?.read_user;
    facts.readUser = u;
    expect(p, u?.read_count === "1", `read_count should be the string "1", got ${JSON.stringify(u?.read_count)}`);
    expect(p, u?.total_count === "3", `total_count should be the string "3", got ${JSON.stringify(u?.total_count)}`);
    return p;
});

await step("recall", () => client.im.batchMessage.delete({ path: { batch_message_id: bm } }), expectCode(0, 200));
let recall;
for (let i = 0; i < 100; i++) {
    recall = (await client.im.batchMessage.getProgress({ path: { batch_message_id: bm } }))?.data?.batch_message_recall_progress;
    if (recall?.recall && recall.recall_count === 3) break;
    await sleep(100);
}
facts.recall = recall;
if (!(recall?.recall === true && recall.recall_count === 3)) mismatches.push(`recall: progress should show recall true, recall_count 3, got ${JSON.stringify(recall)}`);

const unknownBatch = "bm-00000000000000000000000000000000";
await step("get_progress_unknown", () => client.im.batchMessage.getProgress({ path: { batch_message_id: unknownBatch } }), expectCode(230030, 400));
await step("read_user_unknown", () => client.im.batchMessage.readUser({ path: { batch_message_id: unknownBatch } }), expectCode(230030, 400));
await step("recall_unknown", () => client.im.batchMessage.delete({ path: { batch_message_id: unknownBatch } }), expectCode(230030, 400));

// The department tree, two a page: every page's token leads to the next, until has_more is false.
const names = [];
let pageToken;
let pages = 0;
do {
    const page = await step(`children_page_${pages + 1}`, () => client.contact.department.children({
        path: { department_id: "0" }, params: { fetch_child: true, page_size: 2, ...(pageToken ? { page_token: pageToken } : {}) },
    }), (a, r) => {
        const p = expectCode(0, 200)(a, r);
        expect(p, (a?.data?.items ?? []).length <= 2, `a page holds at most page_size items, got ${(a?.data?.items ?? []).length}`);
        expect(p, !a?.data?.has_more || !!a?.data?.page_token, "has_more without a page_token");
        return p;
    });
    for (const d of page?.data?.items ?? []) names.push(d.name);
    pageToken = page?.data?.has_more ? page.data.page_token : undefined;
    pages++;
} while (pageToken && pages < 10);
facts.departments = names;
facts.departmentPages = pages;

await step("children_page_size_51", () => client.contact.department.children({ path: { department_id: "0" }, params: { page_size: 51 } }), expectCode(40011, 400));
await step("children_bad_page_token", () => client.contact.department.children({ path: { department_id: "0" }, params: { page_token: "not-a-token" } }), expectCode(40012, 400));

await step("department_get", () => client.contact.department.get({ path: { department_id: engineering } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    const d = a?.data?.department;
    facts.engineering = { name: d?.name, member_count: d?.member_count, parent: d?.parent_department_id };
    expect(p, d?.name === "Engineering" && d?.open_department_id === engineering, `department should be Engineering, got ${JSON.stringify(d)}`);
    expect(p, d?.parent_department_id === "0", `Engineering is under the root, got ${d?.parent_department_id}`);
    return p;
});
await step("department_get_unknown", () => client.contact.department.get({ path: { department_id: "od-00000000000000000000000000000000" } }), expectCode(40015, 400));

await step("find_by_department", () => client.contact.user.findByDepartment({ params: { department_id: sales, page_size: 50 } }), (a, r) => {
    const p = expectCode(0, 200)(a, r);
    facts.salesUsers = (a?.data?.items ?? []).map((u) => u.name);
    expect(p, a?.data?.has_more === false, `one page, got has_more ${a?.data?.has_more}`);
    return p;
});
await step("find_by_department_unknown", () => client.contact.user.findByDepartment({ params: { department_id: "od-00000000000000000000000000000000" } }), expectCode(40015, 400));

finish({ steps, mismatches }, { facts });
process.exit(process.exitCode);
