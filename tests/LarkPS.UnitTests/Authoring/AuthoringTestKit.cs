using System.Text.Json;
using LarkPS.Messages;
using LarkPS.Webhooks;
using Xunit;

namespace LarkPS.UnitTests.Authoring;

/// <summary>Checks a built card the way a send would: through the module's one validator, sized as the body Lark counts.</summary>
internal static class AuthoringTestKit
{
    // The longest receive_id the builders size for: a 128-character e-mail address.
    public static readonly string LongEmail = new string('a', 116) + "@example.com";

    /// <summary>The card as Send-LarkMessage would send it to a 128-character e-mail address with a 50-character uuid.</summary>
    public static OutgoingMessage AssertSendable(string contentJson, string msgType = "interactive")
    {
        var result = MessageValidator.Validate(new MessageInput
        {
            ReceiveType = ReceiveTypes.Email,
            ReceiveId = LongEmail,
            ContentType = msgType,
            Content = contentJson,
            Uuid = new string('u', 50),
        });
        Assert.True(result.IsValid, "the module's validator refuses it: " + result);
        Assert.True(result.Message!.SentBodyByteCount <= MessageLimits.CardBodyBytes, "body of " + result.Message.SentBodyByteCount + " bytes");
        Assert.Equal(result.Message.RequestBody.Length, result.Message.SentBodyByteCount);
        return result.Message;
    }

    /// <summary>The card through a signed hook's rules: valid, and the hook body within 20 KB.</summary>
    public static int AssertHookSendable(string contentJson)
    {
        var check = WebhookRules.Check(new MessageInput { ContentType = "interactive", Content = contentJson }, signed: true);
        Assert.True(check.IsValid, "the hook's rules refuse it: " + check.Result);
        var bytes = check.Message!.ByteCount(signed: true);
        Assert.True(bytes <= WebhookMessage.MaxBodyBytes, "hook body of " + bytes + " bytes");
        return bytes;
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static JsonElement Elements(string cardJson) => Parse(cardJson).GetProperty("body").GetProperty("elements");
}
