namespace LarkPS.Sandbox;

/// <summary>A message as the sandbox delivered it: what a real receiver would have seen, plus its fate.</summary>
public sealed record DeliveredMessage(
    string MessageId,
    string ReceiveIdType,
    string ReceiveId,
    string MsgType,
    string Content,
    string? Uuid,
    string ChatId,
    DateTimeOffset Time,
    string? ParentId,
    bool Deleted,
    int Edits)
{
    /// <summary>The first message of the reply chain (a reply's parent, or that parent's root).</summary>
    public string? RootId { get; init; }

    /// <summary>The thread (omt_…) a reply_in_thread reply opened or joined.</summary>
    public string? ThreadId { get; init; }

    /// <summary>"app" for the bot's own messages, "user" for one seeded through POST /_sandbox/messages.</summary>
    public string SenderType { get; init; } = "app";

    /// <summary>The sender's open_id when <see cref="SenderType"/> is "user"; the app id otherwise.</summary>
    public string? SenderId { get; init; }

    /// <summary>Every content this message had before an edit (PUT) or a card update (PATCH), oldest first.</summary>
    public IReadOnlyList<MessageRevision> Revisions { get; init; } = [];

    /// <summary>Card updates (PATCH) applied; unlike edits, Lark sets no count limit on them.</summary>
    public int CardUpdates { get; init; }

    /// <summary>When the message was recalled (Deleted became true).</summary>
    public DateTimeOffset? RecallTime { get; init; }
}

/// <summary>A content a message had until <see cref="ReplacedAt"/>, and how it was replaced: "edit" (PUT) or "update" (PATCH).</summary>
public sealed record MessageRevision(string Content, DateTimeOffset ReplacedAt, string How);

/// <summary>One HTTP request as the sandbox received it and what it answered (Code is Lark's body code, if any).</summary>
public sealed record RecordedRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int StatusCode,
    int? Code,
    DateTimeOffset Time);
