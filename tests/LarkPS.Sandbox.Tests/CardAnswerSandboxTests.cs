using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Sandbox.Events;
using LarkPS.Sandbox.Tests.TestSupport;
using Xunit;

namespace LarkPS.Sandbox.Tests;

/// <summary>
/// A card click's answer as Lark applies it (LARK-API.md, "Payloads"): a 2.0 card only replaced by a 2.0 card (200830),
/// an invalid card (200673) and an answer not in the callback's format (200672) leave the card as it was and say what the
/// user sees; a template answer replaces it with the template.
/// </summary>
public sealed class CardAnswerSandboxTests : SandboxTestBase
{
    private static readonly string AskCard = new JsonObject
    {
        ["schema"] = "2.0",
        ["body"] = new JsonObject { ["elements"] = new JsonArray(new JsonObject { ["tag"] = "markdown", ["content"] = "Deploy?" }) },
    }.ToJsonString();

    [Theory]
    [InlineData("{\"card\":{\"type\":\"raw\",\"data\":{\"elements\":[{\"tag\":\"markdown\",\"content\":\"a 1.0 card\"}]}}}", "200830")]
    [InlineData("{\"card\":{\"type\":\"raw\",\"data\":{\"schema\":\"2.0\",\"elements\":[]}}}", "200673")]
    [InlineData("{\"card\":{\"type\":\"raw\",\"data\":{\"type\":\"template\",\"data\":{\"template_id\":\"AAq1\"}}}}", "200830")]
    [InlineData("{\"card\":{\"data\":{\"schema\":\"2.0\"}}}", "200672")]
    [InlineData("[1]", "200672")]
    public async Task An_answer_Lark_refuses_leaves_the_card_as_it_was_and_says_what_the_user_sees(string answer, string code)
    {
        var (click, cardId) = await ClickAndAnswerAsync(answer);

        Assert.StartsWith(code + " ", click.GetProperty("user_sees").GetString(), StringComparison.Ordinal);
        Assert.False(click.TryGetProperty("card_replaced", out _));
        Assert.Equal(AskCard, Server.Inbox.Single(m => m.MessageId == cardId).Content);
    }

    [Fact]
    public async Task A_template_answer_replaces_the_card_with_the_template_and_a_2_0_card_with_a_2_0_card()
    {
        var (template, templated) = await ClickAndAnswerAsync("{\"toast\":{\"type\":\"info\",\"content\":\"ok\"},\"card\":{\"type\":\"template\",\"data\":{\"template_id\":\"AAq1\",\"template_variable\":{\"who\":\"Bob\"}}}}");
        var (raw, replaced) = await ClickAndAnswerAsync("{\"card\":{\"type\":\"raw\",\"data\":{\"schema\":\"2.0\",\"body\":{\"elements\":[{\"tag\":\"markdown\",\"content\":\"Done\"}]}}}}");

        Assert.True(template.GetProperty("card_replaced").GetBoolean());
        Assert.Equal("ok", template.GetProperty("toast").GetProperty("content").GetString());
        var stored = JsonDocument.Parse(Server.Inbox.Single(m => m.MessageId == templated).Content).RootElement;
        Assert.Equal("template", stored.GetProperty("type").GetString());
        Assert.Equal("Bob", stored.GetProperty("data").GetProperty("template_variable").GetProperty("who").GetString());
        Assert.True(raw.GetProperty("card_replaced").GetBoolean());
        Assert.Contains("Done", Server.Inbox.Single(m => m.MessageId == replaced).Content, StringComparison.Ordinal);
    }

    // Sends the 2.0 card as the app, connects as a client, clicks it as Bob and acknowledges the push with the answer.
    private async Task<(JsonElement Click, string CardId)> ClickAndAnswerAsync(string answer)
    {
        var token = await GetTokenAsync();
        var (_, sent) = await SendMessageAsync(token, "chat_id", SandboxSeed.OpsChatId, "interactive", AskCard);
        var cardId = MessageId(sent);
        using var endpoint = await Http.PostAsJsonAsync("callback/ws/endpoint", new Dictionary<string, string> { ["AppID"] = SandboxSeed.AppId, ["AppSecret"] = SandboxSeed.AppSecret });
        var url = new Uri((await endpoint.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("URL").GetString()!);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);

        var click = PostJsonAsync("_sandbox/events/card-action", new JsonObject { ["message_id"] = cardId, ["operator_id"] = SandboxSeed.BobOpenId, ["value"] = new JsonObject { ["a"] = 1 } });
        var frame = await EventSandboxTests.ReceiveDataFrameAsync(socket);
        var ack = new WireFrame { SeqId = frame.SeqId, LogId = frame.LogId, Service = frame.Service, Method = 1 };
        ack.Headers.AddRange(frame.Headers);
        ack.Payload = Encoding.UTF8.GetBytes("{\"code\":200,\"data\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(answer)) + "\"}");
        await socket.SendAsync(ack.Encode(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var (_, body) = await click;
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        return (body, cardId);
    }
}
