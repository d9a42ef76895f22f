using System;
using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for issue 11: chats, user look-ups, uploads.</summary>
internal static partial class LarkCodeTable
{
    public const int UploadInvalidParam = 234001;
    public const int UploadTooLarge = 234006;
    public const int UploadEmpty = 234010;
    public const int UploadBadImageFormat = 234011;
    public const int UploadBadResolution = 234039;
    public const int FieldValidationFailed = 99992402;

    private const string ChatScopeFix =
        "The app needs the scope im:chat:readonly (or im:chat) to list its chats: grant it under Permissions & Scopes in the developer console and publish a new app version; if that is in place, give Lark support the log id.";

    private const string ContactScopeFix =
        "The app needs the scope contact:user.id:readonly to look users up: grant it under Permissions & Scopes in the developer console and publish a new app version; if that is in place, give Lark support the log id.";

    private const string UploadFix =
        "Check the file against Lark's limits (images: JPG PNG WEBP GIF BMP ICO TIFF HEIC, at most 10 MB and 12000x12000 pixels, GIF 2000x2000; files: at most 30 MB, not empty); the app needs the scope im:resource to upload. Test-LarkMessage checks a path without sending.";

    // The HTTP statuses of the 2340xx codes are *unconfirmed* (the sandbox answers 400); null lets any status match.
    private static LarkCode[] DirectoryRows() => new[]
    {
        Row(UnknownCode, null, LarkOperation.ListChats, "refused to list the bot's chats", RetryKind.Never, ErrorIds.ChatListFailed, ErrorCategory.InvalidOperation, ChatScopeFix),
        Row(FieldValidationFailed, 400, LarkOperation.ListChats, "refused the paging parameters", RetryKind.Never, ErrorIds.ChatListFailed, ErrorCategory.InvalidOperation,
            "This is a LarkPS bug (it pages with page_size 100 and Lark's own page_token): please report it with the log id."),
        Row(UnknownCode, null, LarkOperation.LookupUsers, "refused the user look-up", RetryKind.Never, ErrorIds.UserLookupFailed, ErrorCategory.InvalidOperation, ContactScopeFix),
        Row(FieldValidationFailed, 400, LarkOperation.LookupUsers, "refused the look-up's fields", RetryKind.Never, ErrorIds.UserLookupFailed, ErrorCategory.InvalidData,
            "Lark's field_violations above name the field; at most 50 e-mail addresses and 50 phone numbers go in one call (Get-LarkUser batches them so)."),

        Row(UnknownCode, null, LarkOperation.UploadImage, "refused the image upload", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData, UploadFix),
        Row(UnknownCode, null, LarkOperation.UploadFile, "refused the file upload", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData, UploadFix),
        Row(UploadInvalidParam, 400, LarkOperation.UploadImage, "refused a field of the image upload", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData, UploadFix),
        Row(UploadInvalidParam, 400, LarkOperation.UploadFile, "refused a field of the file upload (file_type, file_name, duration)", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData, UploadFix),
        Row(UploadTooLarge, null, LarkOperation.UploadImage, "refused the image: over 10 MB", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.LimitsExceeded,
            "Send a smaller image (at most 10 MB), or send it as a file with -FilePath (at most 30 MB)."),
        Row(UploadTooLarge, null, LarkOperation.UploadFile, "refused the file: over 30 MB", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.LimitsExceeded,
            "Send a smaller file (at most 30 MB): compress or split it, or share a link to it instead."),
        Row(UploadEmpty, null, LarkOperation.UploadImage, "refused the image: it is empty", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData,
            "The file has no bytes: check that it was written completely before sending it."),
        Row(UploadEmpty, null, LarkOperation.UploadFile, "refused the file: it is empty", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData,
            "The file has no bytes: check that it was written completely before sending it."),
        Row(UploadBadImageFormat, null, LarkOperation.UploadImage, "refused the image: its bytes are not a format it takes", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.InvalidData,
            "Lark takes JPG, PNG, WEBP, GIF, BMP, ICO, TIFF and HEIC judged by the bytes, not the name: convert the image, or send it as a file with -FilePath."),
        Row(UploadBadResolution, null, LarkOperation.UploadImage, "refused the image: too many pixels", RetryKind.Never, ErrorIds.UploadRefused, ErrorCategory.LimitsExceeded,
            "Scale the image down to at most 12000x12000 pixels (a GIF to 2000x2000), or send it as a file with -FilePath."),
    };
}
