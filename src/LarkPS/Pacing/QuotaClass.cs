namespace LarkPS.Pacing;

/// <summary>
/// Which of Lark's quotas a call counts against: calls of one class share one set of windows on a connection, calls of
/// different classes never wait for each other. Each operation's class is in the endpoint table (Api/LarkEndpoints.cs).
/// </summary>
internal enum QuotaClass
{
    /// <summary>Not paced: the token request (one every two hours at most; LARK-API.md documents no quota for it).</summary>
    None,

    /// <summary>Sends, replies, edits, card updates and recalls of an app: 50/s and 1000/min per app, 5/s per receiver (LARK-API.md, Quotas).</summary>
    Messages,

    /// <summary>A custom bot's hook: 5/s and 100/min per hook (LARK-API.md, Custom bot webhooks).</summary>
    Webhook,

    /// <summary>Pages of the bot's chats (GET im/v1/chats): 50/s and 1000/min, apart from sending.</summary>
    ChatList,

    /// <summary>Contact look-ups (batch_get_id, phone numbers and e-mail addresses): 50/s and 1000/min (LARK-API.md, Quotas).</summary>
    ContactLookup,

    /// <summary>Image and file uploads: 50/s and 1000/min (LARK-API.md, Quotas and Other message operations).</summary>
    Upload,

    /// <summary>Pages of a chat's or thread's history (GET im/v1/messages): 50/s and 1000/min (LARK-API.md, Reading back).</summary>
    MessageHistory,

    /// <summary>One message by id (GET im/v1/messages/{id}): 50/s and 1000/min, apart from history pages.</summary>
    MessageGet,

    /// <summary>Read receipts (GET im/v1/messages/{id}/read_users): 50/s and 1000/min.</summary>
    ReadReceipts,

    /// <summary>Downloads of messages' images and files (GET …/resources/{file_key}): 50/s and 1000/min.</summary>
    MessageResource,
    /// <summary>Batch sends (message/v4/batch_send): 50/s and 1000/min, counted apart from im/v1 sends (LARK-API.md, Batch messages).</summary>
    BatchSend,

    /// <summary>A batch's progress, read users and recall (im/v1/batch_messages): 50/s and 1000/min.</summary>
    BatchQuery,

    /// <summary>Department pages and users by department (contact v3): 50/s and 1000/min.</summary>
    Departments,
}
