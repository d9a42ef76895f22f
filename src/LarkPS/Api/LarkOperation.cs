namespace LarkPS.Api;

/// <summary>Which Lark call an answer belongs to: the same code can mean different things to different calls (230110, 230001).</summary>
internal enum LarkOperation
{
    /// <summary>No particular call: rows that hold for every operation.</summary>
    Any,

    /// <summary>POST /open-apis/auth/v3/tenant_access_token/internal.</summary>
    Token,

    /// <summary>POST /open-apis/im/v1/messages.</summary>
    Send,

    /// <summary>POST /open-apis/im/v1/messages/{message_id}/reply.</summary>
    Reply,

    /// <summary>PUT /open-apis/im/v1/messages/{message_id} (text and post).</summary>
    Edit,

    /// <summary>PATCH /open-apis/im/v1/messages/{message_id} (cards).</summary>
    UpdateCard,

    /// <summary>DELETE /open-apis/im/v1/messages/{message_id}.</summary>
    Recall,

    /// <summary>GET /open-apis/im/v1/chats.</summary>
    ListChats,

    /// <summary>POST /open-apis/contact/v3/users/batch_get_id.</summary>
    LookupUsers,

    /// <summary>POST /open-apis/im/v1/images.</summary>
    UploadImage,

    /// <summary>POST /open-apis/im/v1/files.</summary>
    UploadFile,

    /// <summary>POST {hook host}/open-apis/bot/v2/hook/{token}: a group's custom bot.</summary>
    Webhook,

    /// <summary>POST /callback/ws/endpoint: the long connection's address (issue 21; no tenant token).</summary>
    EventEndpoint,

    /// <summary>GET /open-apis/im/v1/messages: a chat's or a thread's history (issue 25).</summary>
    ListMessages,

    /// <summary>GET /open-apis/im/v1/messages/{message_id}: one message (issue 25).</summary>
    GetMessage,

    /// <summary>GET /open-apis/im/v1/messages/{message_id}/read_users: who read a message the bot sent (issue 25).</summary>
    ReadUsers,

    /// <summary>GET /open-apis/im/v1/messages/{message_id}/resources/{file_key}: an image or file of a message (issue 25).</summary>
    DownloadResource,
    /// <summary>POST /open-apis/message/v4/batch_send/: one message to up to 200 users or departments per list (issue 23).</summary>
    BatchSend,

    /// <summary>GET /open-apis/im/v1/batch_messages/{batch_message_id}/get_progress.</summary>
    BatchProgress,

    /// <summary>GET /open-apis/im/v1/batch_messages/{batch_message_id}/read_user.</summary>
    BatchReadUsers,

    /// <summary>DELETE /open-apis/im/v1/batch_messages/{batch_message_id}: recall a batch.</summary>
    BatchRecall,

    /// <summary>GET /open-apis/contact/v3/departments/{department_id}/children.</summary>
    DepartmentChildren,

    /// <summary>GET /open-apis/contact/v3/users/find_by_department.</summary>
    DepartmentUsers,
}

/// <summary>How a failed call may be retried, as Lark's code says.</summary>
internal enum RetryKind
{
    /// <summary>Final: only the user can fix it (a parameter, a permission, the visible range).</summary>
    Never,

    /// <summary>The token was refused: the choke point refreshes it once and resends once; nobody else retries.</summary>
    RefreshToken,

    /// <summary>The app's quota (99991400, HTTP 429): everybody waits for the reset.</summary>
    AppQuota,

    /// <summary>One receiver's quota (230020, a card's 5 updates/s, a hook's 5/s): sends to that receiver wait.</summary>
    ReceiverQuota,

    /// <summary>Server or network trouble: retry with backoff (safe where the request is idempotent).</summary>
    Transient,
}
