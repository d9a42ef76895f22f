namespace LarkPS.Sandbox.Endpoints;

/// <summary>
/// Turns (receive_id_type, receive_id) into the chat a message lands in, applying Lark's
/// preconditions: the user exists, has not resigned and is in the app's visible range; the bot is in the group.
/// </summary>
internal static class ReceiverResolver
{
    public static readonly IReadOnlySet<string> ReceiveIdTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "open_id", "union_id", "user_id", "email", "chat_id",
    };

    public static (string? ChatId, SendProblem? Problem) Resolve(SandboxDirectory directory, string receiveIdType, string receiveId)
    {
        if (receiveIdType == "chat_id")
        {
            var chat = directory.Chats.Find(c => string.Equals(c.ChatId, receiveId, StringComparison.Ordinal));
            if (chat is null)
            {
                return (null, Unknown(receiveId));
            }

            return chat.BotIsMember
                ? (chat.ChatId, null)
                : (null, new SendProblem(LarkCodes.BotNotInChat, "Bot/User can NOT be out of the chat."));
        }

        var user = FindUser(directory, receiveIdType, receiveId);
        if (user is null)
        {
            return (null, Unknown(receiveId));
        }

        // Resigned first: a resigned user's visibility no longer matters.
        if (user.Resigned)
        {
            return (null, new SendProblem(LarkCodes.UserResigned, "The user has resigned."));
        }

        return user.Visible
            ? (SandboxDirectory.P2pChatId(user.OpenId), null)
            : (null, new SendProblem(LarkCodes.UserNotVisible, "Bot has NO availability to this user."));
    }

    public static SandboxUser? FindUser(SandboxDirectory directory, string idType, string id) => idType switch
    {
        "open_id" => directory.Users.Find(u => string.Equals(u.OpenId, id, StringComparison.Ordinal)),
        "union_id" => directory.Users.Find(u => string.Equals(u.UnionId, id, StringComparison.Ordinal)),
        "user_id" => directory.Users.Find(u => string.Equals(u.UserId, id, StringComparison.Ordinal)),
        "email" => directory.Users.Find(u => string.Equals(u.Email, id, StringComparison.OrdinalIgnoreCase)),
        _ => null,
    };

    // The brief settles unknown ids of every kind on 230034 (real Lark may say 99992351 for open_id).
    private static SendProblem Unknown(string receiveId) =>
        new(LarkCodes.ReceiveIdInvalid, "Invalid receive_id.", new Http.FieldViolation("receive_id", receiveId, "no such user or chat"));
}
