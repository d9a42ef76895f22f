using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// Issue 23's sandbox side, by its codes: batch_send takes at most 200 ids a list and refuses more with HTTP 200
/// and a code (keeping nothing), an unknown batch id is 230030 on progress, reads and recall, and the department
/// tree pages as Lark pages it (page_size, page_token, has_more).
/// </summary>
public sealed class BatchMessageSandboxTests : SandboxTestBase
{
    private const string BatchSendPath = "open-apis/message/v4/batch_send/";

    private static JsonObject TextTo(IEnumerable<string> openIds) => new()
    {
        ["msg_type"] = "text",
        ["content"] = new JsonObject { ["text"] = "Maintenance tonight" },
        ["open_ids"] = new JsonArray(openIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
    };

    private static string UnknownOpenId(int i) => "ou_" + i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Batch_send_takes_200_open_ids_and_refuses_201_with_lark_code_keeping_nothing()
    {
        var token = await GetTokenAsync();

        var two00 = new[] { SandboxSeed.AliceOpenId }.Concat(Enumerable.Range(1, 199).Select(UnknownOpenId)).ToList();
        var (accepted, acceptedBody) = await PostJsonAsync(BatchSendPath, TextTo(two00), token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(0, Code(acceptedBody));
        var data = acceptedBody.GetProperty("data");
        Assert.StartsWith("bm-", data.GetProperty("message_id").GetString(), StringComparison.Ordinal);
        var invalid = data.GetProperty("invalid_open_ids").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(199, invalid.Count);
        Assert.DoesNotContain(SandboxSeed.AliceOpenId, invalid);

        var two01 = two00.Append(UnknownOpenId(200)).ToList();
        var (refused, refusedBody) = await PostJsonAsync(BatchSendPath, TextTo(two01), token);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(10003, Code(refusedBody));
        Assert.Contains("201", refusedBody.GetProperty("msg").GetString(), StringComparison.Ordinal);

        var batch = Assert.Single(Server.BatchMessages);
        Assert.Equal(data.GetProperty("message_id").GetString(), batch.MessageId);
        Assert.Equal([SandboxSeed.AliceOpenId], batch.ValidOpenIds);
    }

    [Theory]
    [InlineData("GET", "/get_progress")]
    [InlineData("GET", "/read_user")]
    [InlineData("DELETE", "")]
    public async Task An_unknown_batch_message_id_answers_230030_with_http_400(string method, string suffix)
    {
        var token = await GetTokenAsync();
        var (response, body) = await SendRawAsync(
            new HttpMethod(method), "open-apis/im/v1/batch_messages/bm-00000000000000000000000000000000" + suffix, null, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(230030, Code(body));
        Assert.Contains("bm-00000000000000000000000000000000", body.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_department_tree_pages_one_at_a_time_through_page_tokens_and_all_in_one_by_default()
    {
        var token = await GetTokenAsync();
        var names = new List<string>();
        var pages = 0;
        string? pageToken = null;
        do
        {
            var (response, body) = await SendRawAsync(
                HttpMethod.Get,
                "open-apis/contact/v3/departments/0/children?fetch_child=true&page_size=1"
                    + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken)),
                null,
                token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, Code(body));
            var data = body.GetProperty("data");
            names.AddRange(data.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("name").GetString()!));
            pageToken = data.GetProperty("has_more").GetBoolean() ? data.GetProperty("page_token").GetString() : null;
            pages++;
        }
        while (pageToken is not null && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal(
            new[] { SandboxSeed.EmptyDepartmentName, SandboxSeed.EngineeringDepartmentName, SandboxSeed.PlatformDepartmentName, SandboxSeed.SalesDepartmentName },
            names.Order(StringComparer.Ordinal).ToArray());

        // Without fetch_child only the root's direct children; the default page (10) holds them all.
        var (_, top) = await SendRawAsync(HttpMethod.Get, "open-apis/contact/v3/departments/0/children", null, token);
        var topData = top.GetProperty("data");
        Assert.False(topData.GetProperty("has_more").GetBoolean());
        Assert.Equal(
            new[] { SandboxSeed.EmptyDepartmentName, SandboxSeed.EngineeringDepartmentName, SandboxSeed.SalesDepartmentName },
            topData.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray());

        var (badSize, badSizeBody) = await SendRawAsync(HttpMethod.Get, "open-apis/contact/v3/departments/0/children?page_size=51", null, token);
        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);
        Assert.Equal(40011, Code(badSizeBody));
    }
}
