using System.Management.Automation;

namespace LarkPS.Api;

/// <summary>Rows for issue 23: batch messages (send, progress, read users, recall) and the department directory.</summary>
/// <remarks>
/// From LARK-API.md "Batch messages (v4) and the department directory". batch_send answers every code with HTTP 200,
/// and every one of them means the request was NOT accepted (no bm- id): safe to send again once fixed. The
/// batch_messages operations answer HTTP 400. The department codes come with 400 or 403 as listed there.
/// </remarks>
internal static partial class LarkCodeTable
{
    private const string BatchScopesFix =
        "In the developer console, grant the app im:message:send_multi_users (to send to users) and im:message:send_multi_depts (to departments) besides im:message:send_as_bot, publish a new app version, then send again with -Journal so only what was not accepted is sent.";

    private const string BatchFixThenRerun =
        " Nothing of this request was accepted: after the fix, run the same command again (with the same -Journal, only the receivers not yet accepted are sent).";

    private const string DepartmentScopeFix =
        "The app sees departments only within its contact scope: in the developer console widen the app's contact permission range (Permissions & Scopes > contact range; the root needs \"all members\"), grant contact:department.base:readonly, and publish a new app version.";

    private static LarkCode[] BroadcastRows() => new[]
    {
        Row(UnknownCode, null, LarkOperation.BatchSend, "refused the batch message", RetryKind.Never, ErrorIds.BroadcastRefused, ErrorCategory.InvalidOperation,
            "Look the code up in Lark's error code list; if the cause is unclear, give Lark support the log id." + BatchFixThenRerun),
        Row(10002, 200, LarkOperation.BatchSend, "could not create or send the batch message", RetryKind.Never, ErrorIds.BroadcastRefused, ErrorCategory.InvalidOperation,
            "Check the content with Test-LarkMessage -Detailed; if it is right, give Lark support the log id." + BatchFixThenRerun),
        Row(10003, 200, LarkOperation.BatchSend, "refused a parameter of the batch message", RetryKind.Never, ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData,
            "Lark's msg above names the parameter; batch messages take text, image, post (without md nodes), share_chat and interactive, and at most 200 ids per list." + BatchFixThenRerun),
        Row(11101, 200, LarkOperation.BatchSend, "found no user with an open_id of the request", RetryKind.Never, ErrorIds.BroadcastReceiverInvalid, ErrorCategory.InvalidArgument,
            OtherAppIdFix + BatchFixThenRerun),
        Row(11227, 200, LarkOperation.BatchSend, "does not know the image key", RetryKind.Never, ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData,
            "Upload the image with this app first (an image key belongs to the app that uploaded it), or give the image with -ImagePath." + BatchFixThenRerun),
        Row(11231, 200, LarkOperation.BatchSend, "does not know the chat to share", RetryKind.Never, ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData,
            "Check the shared chat's chat_id (oc_…): Get-LarkChat lists the chats the bot is in." + BatchFixThenRerun),
        Row(11203, 200, LarkOperation.BatchSend, "refused: the app may not send batch messages to users", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, BatchScopesFix),
        Row(11204, 200, LarkOperation.BatchSend, "refused: the app may not send batch messages to departments", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, BatchScopesFix),
        Row(11205, 200, LarkOperation.BatchSend, "refused: the app has no bot", RetryKind.Never, ErrorIds.BotCapabilityDisabled, ErrorCategory.PermissionDenied,
            "In the developer console, enable the Bot feature of the app (Features > Bot), then create and publish a new app version."),
        Row(11207, 200, LarkOperation.BatchSend, "refused: the app is not usable in this tenant", RetryKind.Never, ErrorIds.BroadcastRefused, ErrorCategory.PermissionDenied,
            "Ask the tenant's administrator to enable the app (Admin console > Workplace > App management)."),
        Row(11209, 200, LarkOperation.BatchSend, "refused: the app does not exist", RetryKind.Never, ErrorIds.BroadcastRefused, ErrorCategory.PermissionDenied, UnknownAppFix),
        Row(11210, 200, LarkOperation.BatchSend, "refused: the app is not installed in this tenant", RetryKind.Never, ErrorIds.BroadcastRefused, ErrorCategory.PermissionDenied,
            "Ask the tenant's administrator to install the app, then send again."),
        Row(11223, 200, LarkOperation.BatchSend, "refused: the app lacks the permission to send messages", RetryKind.Never, ErrorIds.MissingPermission, ErrorCategory.PermissionDenied, BatchScopesFix),
        Row(11235, 200, LarkOperation.BatchSend, "refused: only administrators may mention everyone", RetryKind.Never, ErrorIds.BroadcastContentInvalid, ErrorCategory.PermissionDenied,
            "Remove <at user_id=\"all\"> from the content: a broadcast already reaches everyone it names."),
        Row(11246, 200, LarkOperation.BatchSend, "could not build the content", RetryKind.Never, ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData,
            "Check the card in Lark's card builder and with Test-LarkMessage -Detailed; if Lark's msg says Service Internal Error, nothing was accepted: send again later." + BatchFixThenRerun),
        Row(11247, 200, LarkOperation.BatchSend, "refused: the app reached its daily limit of 500,000 batch messages", RetryKind.Never, ErrorIds.BroadcastDailyLimit, ErrorCategory.LimitsExceeded,
            "Send the rest tomorrow: run the same command with the same -Journal, and only the receivers not yet accepted are sent."),
        Row(11312, 200, LarkOperation.BatchSend, "refused: the content failed Lark's content audit", RetryKind.Never, ErrorIds.BroadcastContentInvalid, ErrorCategory.InvalidData,
            "Reword the content; Lark does not say which part failed its audit."),

        Row(UnknownCode, null, LarkOperation.BatchProgress, "refused to report the batch's progress", RetryKind.Never, ErrorIds.BroadcastQueryFailed, ErrorCategory.InvalidOperation, BatchScopesFix),
        Row(UnknownCode, null, LarkOperation.BatchReadUsers, "refused to report the batch's reads", RetryKind.Never, ErrorIds.BroadcastQueryFailed, ErrorCategory.InvalidOperation, BatchScopesFix),
        Row(UnknownCode, null, LarkOperation.BatchRecall, "refused to recall the batch", RetryKind.Never, ErrorIds.BroadcastRecallRefused, ErrorCategory.InvalidOperation, BatchScopesFix),
        Row(230030, 400, LarkOperation.BatchProgress, "does not know this batch message id", RetryKind.Never, ErrorIds.BroadcastNotFound, ErrorCategory.ObjectNotFound, BatchIdFix),
        Row(230030, 400, LarkOperation.BatchReadUsers, "does not know this batch message id", RetryKind.Never, ErrorIds.BroadcastNotFound, ErrorCategory.ObjectNotFound, BatchIdFix),
        Row(230030, 400, LarkOperation.BatchRecall, "does not know this batch message id", RetryKind.Never, ErrorIds.BroadcastNotFound, ErrorCategory.ObjectNotFound, BatchIdFix),
        Row(230009, 400, LarkOperation.BatchRecall, "refused: the batch is past the recall window", RetryKind.Never, ErrorIds.BroadcastRecallRefused, ErrorCategory.InvalidOperation,
            "Lark recalls a batch only within the recall window the tenant's administrator set (one day by default); send a correction with Send-LarkBroadcast instead."),
        Row(230012, 400, LarkOperation.BatchRecall, "refused: the bot did not send this batch", RetryKind.Never, ErrorIds.BroadcastRecallRefused, ErrorCategory.PermissionDenied,
            "Only the app that sent a batch can recall it: connect with that app (Connect-Lark) and recall it there."),
        Row(230026, 400, LarkOperation.BatchRecall, "refused: no right to recall this batch", RetryKind.Never, ErrorIds.BroadcastRecallRefused, ErrorCategory.PermissionDenied,
            "Only the app that sent a batch can recall it, within the recall window: connect with that app, or send a correction instead."),

        Row(UnknownCode, null, LarkOperation.DepartmentChildren, "refused to list departments", RetryKind.Never, ErrorIds.DepartmentLookupFailed, ErrorCategory.InvalidOperation, DepartmentScopeFix),
        Row(UnknownCode, null, LarkOperation.DepartmentUsers, "refused to list the department's users", RetryKind.Never, ErrorIds.DepartmentLookupFailed, ErrorCategory.InvalidOperation, DepartmentScopeFix),
        Row(40003, 400, LarkOperation.DepartmentChildren, "had an internal error", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),
        Row(40003, 400, LarkOperation.DepartmentUsers, "had an internal error", RetryKind.Transient, ErrorIds.LarkServerError, ErrorCategory.ConnectionError, RetryLaterFix),
        Row(40004, 403, LarkOperation.DepartmentChildren, "refused: the department is outside the app's contact scope", RetryKind.Never, ErrorIds.DepartmentLookupFailed, ErrorCategory.PermissionDenied, DepartmentScopeFix),
        Row(40004, 403, LarkOperation.DepartmentUsers, "refused: the department is outside the app's contact scope", RetryKind.Never, ErrorIds.DepartmentLookupFailed, ErrorCategory.PermissionDenied, DepartmentScopeFix),
        Row(40015, 400, LarkOperation.DepartmentChildren, "found no such department", RetryKind.Never, ErrorIds.DepartmentNotFound, ErrorCategory.ObjectNotFound, DepartmentIdFix),
        Row(40015, 400, LarkOperation.DepartmentUsers, "found no such department", RetryKind.Never, ErrorIds.DepartmentNotFound, ErrorCategory.ObjectNotFound, DepartmentIdFix),
        Row(41050, null, LarkOperation.DepartmentUsers, "refused: a user of the department is outside the app's contact scope", RetryKind.Never, ErrorIds.DepartmentLookupFailed, ErrorCategory.PermissionDenied, DepartmentScopeFix),
        Row(43010, 400, LarkOperation.DepartmentChildren, "refused: the tree is too big to list at once", RetryKind.Never, ErrorIds.DepartmentLookupFailed, ErrorCategory.LimitsExceeded,
            "Name a department below the root (Get-LarkDepartment -Department <name>), or list one level at a time without -Recurse."),
    };

    private const string BatchIdFix =
        "Check the id (bm-…, from Send-LarkBroadcast's MessageIds): Lark keeps batch messages for 30 days, and only for the app that sent them.";

    private const string DepartmentIdFix =
        "Check the department's name or id: Get-LarkDepartment -Recurse lists the tree the app can see (open_department_id od-… or the custom department_id).";
}
