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
    int Edits);

/// <summary>One HTTP request as the sandbox received it and what it answered (Code is Lark's body code, if any).</summary>
public sealed record RecordedRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int StatusCode,
    int? Code,
    DateTimeOffset Time);
