namespace LarkPS.Api;

/// <summary>Names for the Lark Open API codes; what each means and how it is handled lives in <see cref="LarkCodeTable"/>.</summary>
internal static class LarkErrorCodes
{
    public const int Success = 0;

    // Tenant token
    public const int InvalidParam = 10003;
    public const int AppSecretInvalid = 10014;
    public const int AppTicketInvalid = 10013;
    public const int AppNotFound = 10015;
    public const int AppIdSecretMismatch = 20002;

    // Tokens on other endpoints
    public const int TokenMissing = 99991661;
    public const int TokenInvalid = 99991663;
    public const int TokenInvalid2 = 99991664;
    public const int TokenExpired = 99991671;

    // Rate limits and transient trouble
    public const int AppFrequencyLimit = 99991400;
    public const int ReceiverFrequencyLimit = 230020;
    public const int MessageBeingSent = 230049;
    public const int InternalError = 1500;
    public const int ServerError = 5000;

    // Send message: a user must fix these
    public const int InvalidParameter = 230001;
    public const int BotNotInChat = 230002;
    public const int BotCapabilityDisabled = 230006;
    public const int UserOutsideVisibleRange = 230013;
    public const int ContentTooLong = 230025;
    public const int MissingPermission = 230027;
    public const int MissingScope = 99991672;
    public const int UserResigned = 230029;
    public const int ReceiveIdInvalid = 230034;
    public const int UserBlockedBot = 230035;
    public const int UserStoppedBot = 230053;
    public const int FileKeyTypeMismatch = 230055;
    public const int CardContentInvalid = 230099;
    public const int OpenIdNotExist = 99992351;
    public const int OpenIdOtherApp = 99992361;
}
