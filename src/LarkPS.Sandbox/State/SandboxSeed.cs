namespace LarkPS.Sandbox;

/// <summary>
/// The default directory, named so tests and docs can refer to it:
/// <list type="bullet">
/// <item>alice: visible, alice@example.com, +8613800000001</item>
/// <item>bob: visible, bob@example.com, +8613800000002</item>
/// <item>carol: NOT in the app's visible range, carol@example.com, +8613800000003 (sends answer 230013)</item>
/// <item>dave: resigned, dave@example.com, +8613800000004 (sends answer 230029)</item>
/// <item>erin: visible, erin@example.com, an international number +14155550100</item>
/// <item>hooks: a signed custom bot in "Ops alerts" (OpsHookToken / OpsHookSecret), a keyword bot in "General" (keyword "alert")</item>
/// <item>departments (issue 23): Engineering (alice) with Platform (bob, erin) under it; Sales (carol, dave, erin); Empty (nobody)</item>
/// <item>chats: oc_ops "Ops alerts" and "General" with the bot in them; "No bot here" without (sends answer 230002)</item>
/// </list>
/// Ids have Lark's shapes (ou_/on_/oc_ + 32 hex, short user_id) and never change.
/// </summary>
public static class SandboxSeed
{
    public const string AppId = "cli_sandbox";
    public const string AppSecret = "sandbox-secret";
    public const string TenantKey = "adfb689897b2b525";

    public const string AliceOpenId = "ou_f4313f39e4433a103e6fa8db37a8787f";
    public const string AliceUnionId = "on_83b91bcbfb72eb26044bf0bab4d4e859";
    public const string AliceUserId = "53c1d0b4";
    public const string AliceEmail = "alice@example.com";
    public const string AliceMobile = "+8613800000001";

    public const string BobOpenId = "ou_94e54bbce8572323ffd2743ed383ebd7";
    public const string BobUnionId = "on_113b62fb0f2443838acb11b79fc3150e";
    public const string BobUserId = "d97e6f3e";
    public const string BobEmail = "bob@example.com";
    public const string BobMobile = "+8613800000002";

    public const string CarolOpenId = "ou_0ca5a0e4313807fb28d076dc5a312726";
    public const string CarolUnionId = "on_9b9cb1ccd0d8cb95918c67cbb642cead";
    public const string CarolUserId = "5c94ac6b";
    public const string CarolEmail = "carol@example.com";
    public const string CarolMobile = "+8613800000003";

    public const string DaveOpenId = "ou_8cfd13b7feccfd9727d137c1c72f4ad6";
    public const string DaveUnionId = "on_af0fb9f7fae6b76ea107d65ffd59a692";
    public const string DaveUserId = "1120b9d9";
    public const string DaveEmail = "dave@example.com";
    public const string DaveMobile = "+8613800000004";

    public const string ErinOpenId = "ou_3a6f87878523af27e92c4da26cb76f55";
    public const string ErinUnionId = "on_f21d816249550ba8666e456e1605d9ee";
    public const string ErinUserId = "19e8cb42";
    public const string ErinEmail = "erin@example.com";
    public const string ErinMobile = "+14155550100";

    public const string OpsChatId = "oc_39927562fa25da07df6771450e18c70e";
    public const string OpsChatName = "Ops alerts";
    public const string GeneralChatId = "oc_66a589932b30b63f00cedfcb616e9c92";
    public const string GeneralChatName = "General";
    public const string NoBotChatId = "oc_a05dedc077ed63065826c00334a27a5a";
    public const string NoBotChatName = "No bot here";

    // Custom bots: tokens have Lark's shape (a UUID); the secret is a throwaway like the App Secret.
    public const string OpsHookToken = "6f0d7c52-3b1e-4a8f-9c2d-5e4b3a2f1d0c";
    public const string OpsHookSecret = "sandbox-hook-secret";
    public const string GeneralHookToken = "a4c1e9b7-2d58-4f36-8e0a-7b9c6d5e4f3a";
    public const string GeneralHookKeyword = "alert";

    // Departments (issue 23): open_department_ids of Lark's shape (od- + 32 hex); custom ids D100, D110, D200, D300.
    public const string EngineeringDepartmentId = "od-4e6ac4d14ee8f2bdbd6e3d2a5e4cb8e1";
    public const string EngineeringDepartmentName = "Engineering";
    public const string PlatformDepartmentId = "od-9b1f3f0e8a3a4a52b5d0c6c1e5f2a7d3";
    public const string PlatformDepartmentName = "Platform";
    public const string SalesDepartmentId = "od-2c7d9e1f4a5b6c7d8e9f0a1b2c3d4e5f";
    public const string SalesDepartmentName = "Sales";
    public const string EmptyDepartmentId = "od-7f6e5d4c3b2a19080706050403020100";
    public const string EmptyDepartmentName = "Empty";
}
