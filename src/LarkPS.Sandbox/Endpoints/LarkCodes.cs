namespace LarkPS.Sandbox.Endpoints;

/// <summary>Lark's codes the sandbox answers with (LARK-API.md "Errors worth knowing").</summary>
internal static class LarkCodes
{
    public const int InternalError = 1500;          // Lark's generic "internal error": retry with the same uuid
    public const int FieldValidationFailed = 99992402;
    public const int MessageIdNotExist = 99992354; // "not a valid {open_message_id} or not exists": an unknown message id
    public const int AppRateLimited = 99991400;
    public const int InvalidParam = 230001;
    public const int BotNotInChat = 230002;
    public const int MessageRecalled = 230011;     // "The message is recalled."
    public const int UserNotVisible = 230013;
    public const int ReceiverRateLimited = 230020;
    public const int ContentTooLong = 230025;
    public const int UserResigned = 230029;
    public const int ReceiveIdInvalid = 230034;
    public const int UploadTypeMismatch = 230055;
    public const int EditLimitReached = 230072;    // unconfirmed: Lark documents the 20-edit limit, not its code

    // Edit, card update and recall (issue 12). Confirmed: the codes in Lark's own error tables for
    // DELETE /messages/{id} (230009, 230026) and PATCH /messages/{id} (230011, 230020, 230031).
    public const int RecallWindowPassed = 230009;  // "Message can only be recalled within one days."
    public const int RecallNotOwn = 230026;        // "No permission to recall this message."
    public const int CardUpdateWindowPassed = 230031; // "Message can only be modified within 14 days after sending."
    public const int EditNotSender = 230071;       // unconfirmed: LARK-API.md's code for "not the sender"
    public const int EditWindowPassed = 230075;    // unconfirmed: LARK-API.md's code for "edit window passed"
    public const int MessageDeleted = 230110;      // unconfirmed: named by public clients for "already recalled or deleted"
    public const int CardInvalid = 230099;
    public const int UploadInvalidParam = 234001;
    public const int UploadTooLarge = 234006;      // unconfirmed code for "file size exceeds the limit"
    public const int UploadEmpty = 234010;         // "File's size can't be 0"
    public const int UploadBadImageFormat = 234011; // the bytes are not an image format Lark takes
    public const int UploadBadResolution = 234039; // GIF over 2000x2000, other images over 12000x12000
}
