namespace LarkPS.Api;

/// <summary>What contact batch_get_id said of one e-mail address or phone number.</summary>
public enum LarkUserStatus
{
    /// <summary>An active user the app can see: <see cref="LarkUser.OpenId"/> is set.</summary>
    Found,

    /// <summary>
    /// No user the app can see: the address or number is wrong, or the user is outside the app's availability
    /// (visible) range. Lark answers both the same way and does not say which.
    /// </summary>
    NotFound,

    /// <summary>The user has resigned: Lark still knows the open_id, but messages to it fail (230029).</summary>
    Resigned,

    /// <summary>The account is frozen (suspended) by an administrator.</summary>
    Frozen,
}

/// <summary>One look-up of Get-LarkUser: the value asked for, and the open_id and status Lark gave.</summary>
public sealed class LarkUser
{
    internal LarkUser(string input, string inputType, string? lookedUp, string? openId, LarkUserStatus status, string? fix)
    {
        Input = input;
        InputType = inputType;
        LookedUp = lookedUp;
        OpenId = openId;
        Status = status;
        Fix = fix;
    }

    /// <summary>The e-mail address, phone number or open_id as given.</summary>
    public string Input { get; }

    /// <summary>Email, Phone, or OpenId for an open_id given in the input (taken as it is: batch_get_id cannot check one).</summary>
    public string InputType { get; }

    /// <summary>The value sent to Lark (a phone number normalized: mainland bare, others + country code); null when not sent.</summary>
    public string? LookedUp { get; }

    /// <summary>The user's open_id (ou_…) where Lark gave one.</summary>
    public string? OpenId { get; }

    public LarkUserStatus Status { get; }

    /// <summary>What to do when the status is not Found; null when found.</summary>
    public string? Fix { get; }

    /// <summary>The user's name, where Lark gave it (Get-LarkUser -Department); null otherwise.</summary>
    public string? Name { get; internal set; }

    /// <summary>The user's e-mail address, where Lark gave it (Get-LarkUser -Department); null otherwise.</summary>
    public string? Email { get; internal set; }

    /// <summary>The user's union_id (on_…), where Lark gave it (a department's users): Send-LarkBroadcast matches -UserId on_… with it.</summary>
    internal string? UnionId { get; set; }

    /// <summary>The user's tenant user_id, where Lark gave it (a department's users, with the user_id field scope).</summary>
    internal string? UserId { get; set; }

    /// <summary>The department the user was listed from (Get-LarkUser -Department), as its path of names; null otherwise.</summary>
    public string? Department { get; internal set; }

    /// <summary>
    /// What Send-LarkMessage binds: open_id for a found user; for anyone else the input itself (email or phone), so
    /// a send names the person and fails with Lark's own reason instead of going to a wrong id.
    /// </summary>
    public string ReceiveType => Status == LarkUserStatus.Found ? "open_id" : InputType == "Email" ? "email" : "phone";

    /// <summary>The open_id of a found user, else the input.</summary>
    public string ReceiveId => Status == LarkUserStatus.Found ? OpenId! : Input;

    /// <inheritdoc />
    public override string ToString() => Input + ": " + Status + (OpenId is null ? string.Empty : " (" + OpenId + ")");
}
