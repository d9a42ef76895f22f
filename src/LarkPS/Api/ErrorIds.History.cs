namespace LarkPS.Api;

/// <summary>Error ids of reading back (issue 25): Get-LarkMessage, Get-LarkMessageReader, Save-LarkMessageResource.</summary>
internal static partial class ErrorIds
{
    public const string HistoryFailed = "HistoryFailed";
    public const string ReadReceiptsFailed = "ReadReceiptsFailed";
    public const string ReadWindowPassed = "ReadWindowPassed";
    public const string ThreadNotVisible = "ThreadNotVisible";
    public const string ResourceFailed = "ResourceFailed";
    public const string ResourceNotInMessage = "ResourceNotInMessage";
    public const string ResourceRestricted = "ResourceRestricted";
    public const string ResourceTooLarge = "ResourceTooLarge";
    public const string ResourceUnsupported = "ResourceUnsupported";
    public const string ResourceExists = "ResourceExists";
    public const string ResourceFileFailed = "ResourceFileFailed";
    public const string InvalidTimeRange = "InvalidTimeRange";
    public const string LastWithPaging = "LastWithPaging";
}
