using System;
using System.Management.Automation;
using LarkPS.Messages;
using LarkPS.Api;

namespace LarkPS.Commands.Support;

/// <summary>What a connection that cannot upload says of an item that sends a local file.</summary>
internal static class LocalFileRules
{
    /// <summary>The fix, in words, for a file sent through a webhook connection.</summary>
    public const string WebhookFix =
        "A group's custom bot (Connect-Lark -WebhookUri) cannot upload files: connect with an app (Connect-Lark -AppId … -AppSecret …, an app with the bot capability and the scope im:resource) and send the file through it, or give an image_key the app uploaded earlier. The item was not sent.";

    /// <summary>The error for an item with a local file on a webhook connection; null when it has none.</summary>
    public static ErrorRecord? RefuseOnWebhook(MessageInput input, object? target, string description)
    {
        if (input is null || input.Files.IsEmpty)
        {
            return null;
        }

        return ErrorRecords.WithFix(
            new NotSupportedException($"{description} sends the local file '{PathOf(input.Files)}', but this is a webhook connection, which cannot upload files."),
            ErrorIds.UploadNeedsApp, ErrorCategory.InvalidOperation, target, WebhookFix);
    }

    /// <summary>The same, as a problem Test-LarkMessage reports with the item's others.</summary>
    public static ValidationProblem? ProblemOnWebhook(MessageInput input)
    {
        if (input is null || input.Files.IsEmpty)
        {
            return null;
        }

        return new ValidationProblem(
            FieldOf(input.Files),
            "is the local file '" + PathOf(input.Files) + "', which a webhook connection cannot upload",
            "an app connection (Connect-Lark -AppId … -AppSecret …) to send files",
            "string");
    }

    private static string PathOf(LocalFilePaths files) => (files.ImagePath ?? files.FilePath ?? files.Path ?? files.LiteralPath ?? string.Empty).Trim();

    private static string FieldOf(LocalFilePaths files) =>
        !string.IsNullOrWhiteSpace(files.ImagePath) ? "imagePath" : !string.IsNullOrWhiteSpace(files.FilePath) ? "filePath" : !string.IsNullOrWhiteSpace(files.Path) ? "path" : "literalPath";
}
