using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LarkPS.Sandbox;

/// <summary>
/// A user in the sandbox tenant. Mobile is stored with its country code (+8613800000001). DepartmentIds are the
/// open_department_ids (od-…) the user is a direct member of (issue 23); none means the root only.
/// </summary>
public sealed record SandboxUser(
    string OpenId,
    string UnionId,
    string UserId,
    string Name,
    string? Email,
    string? Mobile,
    bool Visible,
    bool Resigned,
    IReadOnlyList<string>? DepartmentIds = null);

/// <summary>
/// A group chat in the sandbox tenant, and whether the app's bot sits in it. Description, owner (an
/// open_id; the first active user when null), External and ChatStatus (normal, dissolved,
/// dissolved_save) are what GET /im/v1/chats lists.
/// </summary>
public sealed record SandboxChat(
    string ChatId,
    string Name,
    bool BotIsMember,
    string Description = "",
    string? OwnerOpenId = null,
    bool External = false,
    string ChatStatus = "normal");

/// <summary>
/// The people and chats a sandbox knows. The JSON file format is this object serialized in camelCase:
/// <c>{"users":[{"openId":…,"unionId":…,"userId":…,"name":…,"email":…,"mobile":…,"visible":true,"resigned":false}],
/// "chats":[{"chatId":…,"name":…,"botIsMember":true}]}</c>.
/// </summary>
public sealed class SandboxDirectory
{
    internal static readonly JsonSerializerOptions FileFormat = new(JsonSerializerDefaults.Web) { WriteIndented = true };

#pragma warning disable CA2227 // The JSON file and tests build directories by assigning whole lists.
    public List<SandboxUser> Users { get; set; } = [];

    public List<SandboxChat> Chats { get; set; } = [];

    /// <summary>Custom bots (webhooks) of the tenant's groups; see <see cref="SandboxHook"/>.</summary>
    public List<SandboxHook> Hooks { get; set; } = [];

    /// <summary>The department tree (issue 23): each department names its parent ("0" for the root).</summary>
    public List<SandboxDepartment> Departments { get; set; } = [];
#pragma warning restore CA2227

    /// <summary>The seed described on <see cref="SandboxSeed"/>.</summary>
    public static SandboxDirectory CreateDefault() => new()
    {
        Users =
        [
            new(SandboxSeed.AliceOpenId, SandboxSeed.AliceUnionId, SandboxSeed.AliceUserId, "Alice", SandboxSeed.AliceEmail, SandboxSeed.AliceMobile, Visible: true, Resigned: false, [SandboxSeed.EngineeringDepartmentId]),
            new(SandboxSeed.BobOpenId, SandboxSeed.BobUnionId, SandboxSeed.BobUserId, "Bob", SandboxSeed.BobEmail, SandboxSeed.BobMobile, Visible: true, Resigned: false, [SandboxSeed.PlatformDepartmentId]),
            new(SandboxSeed.CarolOpenId, SandboxSeed.CarolUnionId, SandboxSeed.CarolUserId, "Carol", SandboxSeed.CarolEmail, SandboxSeed.CarolMobile, Visible: false, Resigned: false, [SandboxSeed.SalesDepartmentId]),
            new(SandboxSeed.DaveOpenId, SandboxSeed.DaveUnionId, SandboxSeed.DaveUserId, "Dave", SandboxSeed.DaveEmail, SandboxSeed.DaveMobile, Visible: true, Resigned: true, [SandboxSeed.SalesDepartmentId]),
            new(SandboxSeed.ErinOpenId, SandboxSeed.ErinUnionId, SandboxSeed.ErinUserId, "Erin", SandboxSeed.ErinEmail, SandboxSeed.ErinMobile, Visible: true, Resigned: false, [SandboxSeed.SalesDepartmentId, SandboxSeed.PlatformDepartmentId]),
        ],
        Chats =
        [
            new(SandboxSeed.OpsChatId, SandboxSeed.OpsChatName, BotIsMember: true),
            new(SandboxSeed.GeneralChatId, SandboxSeed.GeneralChatName, BotIsMember: true),
            new(SandboxSeed.NoBotChatId, SandboxSeed.NoBotChatName, BotIsMember: false),
        ],
        Hooks =
        [
            new(SandboxSeed.OpsHookToken, SandboxSeed.OpsChatId, Secret: SandboxSeed.OpsHookSecret, Name: "Ops alert bot"),
            new(SandboxSeed.GeneralHookToken, SandboxSeed.GeneralChatId, Keywords: [SandboxSeed.GeneralHookKeyword], Name: "General keyword bot"),
        ],
        Departments =
        [
            new(SandboxSeed.EngineeringDepartmentId, "D100", SandboxSeed.EngineeringDepartmentName, "0"),
            new(SandboxSeed.PlatformDepartmentId, "D110", SandboxSeed.PlatformDepartmentName, SandboxSeed.EngineeringDepartmentId),
            new(SandboxSeed.SalesDepartmentId, "D200", SandboxSeed.SalesDepartmentName, "0"),
            new(SandboxSeed.EmptyDepartmentId, "D300", SandboxSeed.EmptyDepartmentName, "0"),
        ],
    };

    /// <summary>
    /// The default seed plus <paramref name="extraUsers"/> visible users "User 00001"…, e-mail user00001@example.com,
    /// mobile +8613900000001…, spread over departments "Staff 01"… of 1,000 each under a department "Staff", so one broadcast can reach
    /// thousands. Ids are derived from the number: stable across runs.
    /// </summary>
    public static SandboxDirectory CreateWithManyUsers(int extraUsers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraUsers);
        var directory = CreateDefault();
        var staff = DepartmentIdFor("Staff");
        directory.Departments.Add(new SandboxDepartment(staff, "D900", "Staff", "0"));
        for (var i = 1; i <= extraUsers; i++)
        {
            var group = ((i - 1) / 1000) + 1;
            var groupName = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Staff {group:00}");
            var groupId = DepartmentIdFor(groupName);
            if (i % 1000 == 1)
            {
                directory.Departments.Add(new SandboxDepartment(groupId, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"D9{group:00}"), groupName, staff));
            }

            var number = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i:00000}");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("user:" + number)));
            directory.Users.Add(new SandboxUser(
                "ou_" + hash[..32], "on_" + hash[32..64], hash[..8], "User " + number, "user" + number + "@example.com",
                Mobile: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+86139{i:00000000}"), Visible: true, Resigned: false, [groupId]));
        }

        return directory;
    }

    /// <summary>An open_department_id of Lark's shape (od- + 32 hex) derived from a name.</summary>
    public static string DepartmentIdFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("department:" + name));
        return "od-" + Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>
    /// The default seed plus <paramref name="extraChats"/> chats with the bot in them, named
    /// "Build 001", "Build 002", … (every third one "Deploy 001", …), so a chat list needs several
    /// pages of 100. Ids are derived from the names: stable across runs.
    /// </summary>
    public static SandboxDirectory CreateWithManyChats(int extraChats)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraChats);
        var directory = CreateDefault();
        for (var i = 1; i <= extraChats; i++)
        {
            var name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(i % 3 == 0 ? "Deploy" : "Build")} {i:000}");
            directory.Chats.Add(new SandboxChat(ChatIdFor(name), name, BotIsMember: true, Description: "Chat " + name));
        }

        return directory;
    }

    /// <summary>A chat id of Lark's shape (oc_ + 32 hex) derived from a name.</summary>
    public static string ChatIdFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("chat:" + name));
        return "oc_" + Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>Reads a directory file (camelCase JSON of this class).</summary>
    public static SandboxDirectory Load(string jsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonPath);
        using var stream = File.OpenRead(jsonPath);
        var directory = JsonSerializer.Deserialize<SandboxDirectory>(stream, FileFormat)
            ?? throw new InvalidDataException($"{jsonPath} holds no directory.");
        directory.Users ??= [];
        directory.Chats ??= [];
        directory.Hooks ??= [];
        directory.Departments ??= [];
        return directory;
    }

    /// <summary>
    /// The one-to-one chat between the bot and a user: Lark answers a send to a user with this chat id.
    /// Derived from the open_id so it is stable across runs.
    /// </summary>
    public static string P2pChatId(string openId)
    {
        ArgumentNullException.ThrowIfNull(openId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("p2p:" + openId));
        return "oc_" + Convert.ToHexStringLower(hash)[..32];
    }
}
