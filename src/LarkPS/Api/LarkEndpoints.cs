using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using LarkPS.Pacing;

namespace LarkPS.Api;

/// <summary>One Lark operation the module calls: its method and path, the quota it counts against, whether it is safe to repeat.</summary>
internal sealed class LarkEndpoint
{
    public LarkEndpoint(LarkOperation operation, HttpMethod method, string path, QuotaClass quota, bool retrySafe, string why)
    {
        Operation = operation;
        Method = method ?? throw new ArgumentNullException(nameof(method));
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Quota = quota;
        RetrySafe = retrySafe;
        Why = why ?? throw new ArgumentNullException(nameof(why));
    }

    public LarkOperation Operation { get; }

    public HttpMethod Method { get; }

    /// <summary>The path as LARK-API.md writes it, placeholders in braces: <c>/open-apis/im/v1/messages/{message_id}</c>.</summary>
    public string Path { get; }

    /// <summary>Which windows pace it (the HTTP choke point asks the pacer for this class).</summary>
    public QuotaClass Quota { get; }

    /// <summary>True where repeating the request cannot act twice (a uuid, or an operation that is the same the second time).</summary>
    public bool RetrySafe { get; }

    /// <summary>Why it is (or is not) safe to repeat, in words.</summary>
    public string Why { get; }

    /// <inheritdoc />
    public override string ToString() => Method.Method + " " + Path + " (" + Quota + (RetrySafe ? ", retry-safe)" : ", not retry-safe)");
}

/// <summary>
/// The endpoint table: every Lark operation the module calls, one row each, beside the code table (what the answers
/// mean). Adding an operation is a row here, rows in <see cref="LarkCodeTable"/>, and a small method that builds its
/// <see cref="LarkRequest"/>.
/// </summary>
internal static class LarkEndpoints
{
    private static readonly HttpMethod Patch = new("PATCH");

    private static readonly Lazy<Dictionary<LarkOperation, LarkEndpoint>> Index = new(() => All().ToDictionary(e => e.Operation));

    /// <summary>Every row, in the order of <see cref="LarkOperation"/>.</summary>
    public static IReadOnlyList<LarkEndpoint> Rows => Index.Value.Values.OrderBy(e => e.Operation).ToList();

    /// <summary>The row of <paramref name="operation"/>; <see cref="LarkOperation.Any"/> (a request of no known operation) is not paced and safe to repeat.</summary>
    public static LarkEndpoint Of(LarkOperation operation) =>
        Index.Value.TryGetValue(operation, out var row) ? row : throw new ArgumentOutOfRangeException(nameof(operation), operation, "No endpoint row.");

    private static LarkEndpoint[] All() => new[]
    {
        new LarkEndpoint(LarkOperation.Any, HttpMethod.Get, "/", QuotaClass.None, true, "no particular call (tests, raw requests): not paced"),
        new LarkEndpoint(LarkOperation.Token, HttpMethod.Post, "/open-apis/auth/v3/tenant_access_token/internal", QuotaClass.None, true,
            "asks for a token: the same again returns the same token"),
        new LarkEndpoint(LarkOperation.Send, HttpMethod.Post, "/open-apis/im/v1/messages?receive_id_type={type}", QuotaClass.Messages, true,
            "carries the item's uuid: Lark sends at most one message per uuid within an hour"),
        new LarkEndpoint(LarkOperation.Reply, HttpMethod.Post, "/open-apis/im/v1/messages/{message_id}/reply", QuotaClass.Messages, true,
            "carries the item's uuid, as a send does"),
        new LarkEndpoint(LarkOperation.Edit, HttpMethod.Put, "/open-apis/im/v1/messages/{message_id}", QuotaClass.Messages, true,
            "the same edit again leaves the same message"),
        new LarkEndpoint(LarkOperation.UpdateCard, Patch, "/open-apis/im/v1/messages/{message_id}", QuotaClass.Messages, true,
            "the same card again leaves the same card (its 5 updates/s are the receiver window of the message)"),
        new LarkEndpoint(LarkOperation.Recall, HttpMethod.Delete, "/open-apis/im/v1/messages/{message_id}", QuotaClass.Messages, true,
            "a second recall only finds the message gone"),
        new LarkEndpoint(LarkOperation.ListChats, HttpMethod.Get, "/open-apis/im/v1/chats?page_size={n}&page_token={token}", QuotaClass.ChatList, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.LookupUsers, HttpMethod.Post, "/open-apis/contact/v3/users/batch_get_id?user_id_type=open_id", QuotaClass.ContactLookup, true,
            "reads only (phone numbers and e-mail addresses to open_ids)"),
        new LarkEndpoint(LarkOperation.UploadImage, HttpMethod.Post, "/open-apis/im/v1/images", QuotaClass.Upload, true,
            "a second upload only makes a second key for the same bytes"),
        new LarkEndpoint(LarkOperation.UploadFile, HttpMethod.Post, "/open-apis/im/v1/files", QuotaClass.Upload, true,
            "a second upload only makes a second key for the same bytes"),
        new LarkEndpoint(LarkOperation.Webhook, HttpMethod.Post, "{hook host}/open-apis/bot/v2/hook/{token}", QuotaClass.Webhook, false,
            "has no uuid: Lark cannot de-duplicate it, so a request that may have arrived is never repeated"),
        new LarkEndpoint(LarkOperation.EventEndpoint, HttpMethod.Post, "/callback/ws/endpoint", QuotaClass.None, true,
            "the long connection's address: once per connect (LARK-API.md, Events: no tenant token, no documented quota)"),

        // Issue 25, reading back: each API has its own 50/s and 1000/min (LARK-API.md, Reading back).
        new LarkEndpoint(LarkOperation.ListMessages, HttpMethod.Get, "/open-apis/im/v1/messages?container_id_type={chat|thread}&container_id={id}&start_time={s}&end_time={s}&sort_type={sort}&page_size={n}&page_token={token}", QuotaClass.MessageHistory, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.GetMessage, HttpMethod.Get, "/open-apis/im/v1/messages/{message_id}", QuotaClass.MessageGet, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.ReadUsers, HttpMethod.Get, "/open-apis/im/v1/messages/{message_id}/read_users?user_id_type={type}&page_size={n}&page_token={token}", QuotaClass.ReadReceipts, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.DownloadResource, HttpMethod.Get, "/open-apis/im/v1/messages/{message_id}/resources/{file_key}?type={image|file}", QuotaClass.MessageResource, true,
            "reads only: a repeat writes the same bytes to the same part file again"),
        // Issue 23: batch messages and the department directory.
        new LarkEndpoint(LarkOperation.BatchSend, HttpMethod.Post, "/open-apis/message/v4/batch_send/", QuotaClass.BatchSend, false,
            "has no uuid: Lark cannot de-duplicate it, so a request that may have been accepted is never repeated"),
        new LarkEndpoint(LarkOperation.BatchProgress, HttpMethod.Get, "/open-apis/im/v1/batch_messages/{batch_message_id}/get_progress", QuotaClass.BatchQuery, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.BatchReadUsers, HttpMethod.Get, "/open-apis/im/v1/batch_messages/{batch_message_id}/read_user", QuotaClass.BatchQuery, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.BatchRecall, HttpMethod.Delete, "/open-apis/im/v1/batch_messages/{batch_message_id}", QuotaClass.BatchQuery, true,
            "a second recall only finds the batch recalled"),
        new LarkEndpoint(LarkOperation.DepartmentChildren, HttpMethod.Get, "/open-apis/contact/v3/departments/{department_id}/children?fetch_child=true&page_size=50", QuotaClass.Departments, true,
            "reads only"),
        new LarkEndpoint(LarkOperation.DepartmentUsers, HttpMethod.Get, "/open-apis/contact/v3/users/find_by_department?department_id={id}&page_size=50", QuotaClass.Departments, true,
            "reads only"),
    };
}
