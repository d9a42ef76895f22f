namespace LarkPS.Api;

/// <summary>Error ids of broadcasts and the department directory (issue 23).</summary>
internal static partial class ErrorIds
{
    public const string BroadcastRefused = "BroadcastRefused";
    public const string BroadcastMayHaveBeenSent = "BroadcastMayHaveBeenSent";
    public const string BroadcastContentInvalid = "BroadcastContentInvalid";
    public const string BroadcastReceiverInvalid = "BroadcastReceiverInvalid";
    public const string BroadcastNoReceivers = "BroadcastNoReceivers";
    public const string BroadcastDailyLimit = "BroadcastDailyLimit";
    public const string BroadcastNotFound = "BroadcastNotFound";
    public const string BroadcastRecallRefused = "BroadcastRecallRefused";
    public const string BroadcastQueryFailed = "BroadcastQueryFailed";
    public const string DepartmentNotFound = "DepartmentNotFound";
    public const string DepartmentAmbiguous = "DepartmentAmbiguous";
    public const string DepartmentLookupFailed = "DepartmentLookupFailed";
}
