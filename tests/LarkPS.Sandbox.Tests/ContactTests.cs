using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

public sealed class ContactTests : SandboxTestBase
{
    private const string Path = "open-apis/contact/v3/users/batch_get_id?user_id_type=open_id";

    [Fact]
    public async Task Emails_resolve_only_for_visible_active_users_and_the_call_succeeds()
    {
        var token = await GetTokenAsync();
        var request = new JsonObject
        {
            ["emails"] = new JsonArray(SandboxSeed.AliceEmail, SandboxSeed.CarolEmail, SandboxSeed.DaveEmail, "ghost@example.com"),
        };

        var (response, body) = await PostJsonAsync(Path, request, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Code(body));
        var list = UserList(body);
        Assert.Equal(4, list.Count);
        Assert.Equal(SandboxSeed.AliceOpenId, UserIdFor(list, "email", SandboxSeed.AliceEmail));
        Assert.Null(UserIdFor(list, "email", SandboxSeed.CarolEmail));
        Assert.Null(UserIdFor(list, "email", SandboxSeed.DaveEmail));
        Assert.Null(UserIdFor(list, "email", "ghost@example.com"));
    }

    [Theory]
    [InlineData("13800000001", SandboxSeed.AliceOpenId)]
    [InlineData("+8613800000001", SandboxSeed.AliceOpenId)]
    [InlineData("+8613800000002", SandboxSeed.BobOpenId)]
    [InlineData("13800000002", SandboxSeed.BobOpenId)]
    [InlineData("+14155550100", SandboxSeed.ErinOpenId)]
    [InlineData("14155550100", null)]
    [InlineData("13800000003", null)]
    [InlineData("13899999999", null)]
    public async Task Mobiles_match_mainland_numbers_bare_or_with_plus_86_and_others_only_with_country_code(string mobile, string? expected)
    {
        var token = await GetTokenAsync();

        var (_, body) = await PostJsonAsync(Path, new JsonObject { ["mobiles"] = new JsonArray(mobile) }, token);

        Assert.Equal(0, Code(body));
        var list = UserList(body);
        Assert.Single(list);
        Assert.Equal(expected, UserIdFor(list, "mobile", mobile));
    }

    [Fact]
    public async Task Include_resigned_returns_the_resigned_user_but_never_an_invisible_one()
    {
        var token = await GetTokenAsync();
        var request = new JsonObject
        {
            ["mobiles"] = new JsonArray(SandboxSeed.DaveMobile, SandboxSeed.CarolMobile),
            ["include_resigned"] = true,
        };

        var (_, body) = await PostJsonAsync(Path, request, token);

        var list = UserList(body);
        Assert.Equal(SandboxSeed.DaveOpenId, UserIdFor(list, "mobile", SandboxSeed.DaveMobile));
        Assert.Null(UserIdFor(list, "mobile", SandboxSeed.CarolMobile));
    }

    [Theory]
    [InlineData("union_id", SandboxSeed.BobUnionId)]
    [InlineData("user_id", SandboxSeed.BobUserId)]
    [InlineData("open_id", SandboxSeed.BobOpenId)]
    public async Task User_id_type_picks_the_id_returned(string idType, string expected)
    {
        var token = await GetTokenAsync();

        var (_, body) = await PostJsonAsync(
            "open-apis/contact/v3/users/batch_get_id?user_id_type=" + idType,
            new JsonObject { ["emails"] = new JsonArray(SandboxSeed.BobEmail) },
            token);

        Assert.Equal(expected, UserIdFor(UserList(body), "email", SandboxSeed.BobEmail));
    }

    [Theory]
    [InlineData("emails")]
    [InlineData("mobiles")]
    public async Task More_than_50_inputs_is_a_field_validation_error(string field)
    {
        var token = await GetTokenAsync();
        var values = new JsonArray(Enumerable.Range(0, 51).Select(i => (JsonNode?)JsonValue.Create($"1380000{i:0000}")).ToArray());

        var (response, body) = await PostJsonAsync(Path, new JsonObject { [field] = values }, token);
        var (ok, okBody) = await PostJsonAsync(Path, new JsonObject { [field] = new JsonArray(values.Take(50).Select(v => v!.DeepClone()).ToArray()) }, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99992402, Code(body));
        Assert.Equal(field, body.GetProperty("error").GetProperty("field_violations")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(50, UserList(okBody).Count);
    }

    [Fact]
    public async Task Batch_get_id_needs_a_token()
    {
        var (response, body) = await PostJsonAsync(Path, new JsonObject { ["emails"] = new JsonArray(SandboxSeed.AliceEmail) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(99991661, Code(body));
    }

    private static List<JsonElement> UserList(JsonElement body) =>
        body.GetProperty("data").GetProperty("user_list").EnumerateArray().ToList();

    private static string? UserIdFor(List<JsonElement> list, string field, string input)
    {
        var item = Assert.Single(list, i => i.TryGetProperty(field, out var v) && v.GetString() == input);
        return item.TryGetProperty("user_id", out var id) ? id.GetString() : null;
    }
}
