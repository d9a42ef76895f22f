using System.Text.Json;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Messages;

/// <summary>Short ways to build inputs and look at validation results.</summary>
internal static class MessageTestHelpers
{
    public const string OpenId = "ou_7d8a6e6df7621556ce0d21922b676706";
    public const string ChatId = "oc_5ad11d72b830411d72b836c20";

    public static MessageValidationResult Validate(
        object? content,
        string? contentType = null,
        string? receiveType = null,
        string? receiveId = OpenId,
        string? uuid = null,
        string? text = null) =>
        MessageValidator.Validate(new MessageInput
        {
            ReceiveType = receiveType,
            ReceiveId = receiveId,
            ContentType = contentType,
            Content = content,
            Uuid = uuid,
            Text = text,
        });

    public static OutgoingMessage AssertValid(MessageValidationResult result)
    {
        Assert.True(result.IsValid, "expected valid, got: " + result);
        Assert.Empty(result.Problems);
        Assert.NotNull(result.Message);
        return result.Message!;
    }

    public static ValidationProblem AssertSingleProblem(MessageValidationResult result, string field)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Message);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(field, problem.Field);
        return problem;
    }

    public static ValidationProblem AssertHasProblem(MessageValidationResult result, string field)
    {
        Assert.False(result.IsValid);
        var problem = result.Problems.FirstOrDefault(p => p.Field == field);
        Assert.True(problem is not null, "no problem for " + field + " in: " + result);
        return problem!;
    }

    /// <summary>The content string parsed back, to assert on its values rather than its spelling.</summary>
    public static JsonElement ContentOf(OutgoingMessage message)
    {
        using var document = JsonDocument.Parse(message.Content);
        return document.RootElement.Clone();
    }
}
