using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using LarkPS.Messages;

namespace LarkPS.Webhooks;

/// <summary>
/// What a custom bot's card cannot do (LARK-API.md, "Buttons": callbacks work only on cards an app sent; a hook has
/// no upload): a callback button or an image from a local file is a problem naming the element and the fix.
/// </summary>
internal static class WebhookCardRules
{
    private const string AppFix = "or send the card through an app connection (Connect-Lark -AppId … -AppSecret …)";

    /// <summary>The problems of a card's content on a hook; none for other content or content that does not parse.</summary>
    public static List<ValidationProblem> Check(string? msgType, object? content)
    {
        var problems = new List<ValidationProblem>();
        if (msgType != ContentTypes.Interactive || content is null)
        {
            return problems;
        }

        try
        {
            using var document = JsonDocument.Parse(content as string ?? MessageJson.Serialize(content), MessageJson.ReaderOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
            {
                Walk(elements, "content.body.elements", problems);
            }
            else if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("elements", out var v1) && v1.ValueKind == JsonValueKind.Array)
            {
                Walk(v1, "content.elements", problems);
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // The validator reports content that does not parse, in its own words.
        }

        return problems;
    }

    /// <summary>True for the validator's generic "local image" problem, which <see cref="Check"/> says better for a hook.</summary>
    public static bool IsLocalImageProblem(ValidationProblem problem) =>
        problem.Field.EndsWith(".path", StringComparison.Ordinal) && problem.Problem.IndexOf("only Send-LarkMessage uploads", StringComparison.Ordinal) >= 0;

    private static void Walk(JsonElement elements, string path, List<ValidationProblem> problems)
    {
        var i = 0;
        foreach (var element in elements.EnumerateArray())
        {
            var at = path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var tag = element.TryGetProperty("tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (tag == "img" && element.TryGetProperty("path", out var local) && !element.TryGetProperty("img_key", out _))
            {
                problems.Add(new ValidationProblem(at + ".path", "is a local image (" + local.GetRawText() + "), which a custom-bot webhook cannot upload",
                    "an img_key the app uploaded earlier, " + AppFix, "string"));
            }

            if (element.TryGetProperty("behaviors", out var behaviors) && behaviors.ValueKind == JsonValueKind.Array)
            {
                var b = 0;
                foreach (var behavior in behaviors.EnumerateArray())
                {
                    if (behavior.ValueKind == JsonValueKind.Object && behavior.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "callback")
                    {
                        problems.Add(new ValidationProblem(at + ".behaviors[" + b.ToString(CultureInfo.InvariantCulture) + "]",
                            "is a callback button, and a card a custom-bot webhook sends cannot call back (nothing would receive the click)",
                            "a button that opens a link (@{Text='Open'; Url='https://…'}), " + AppFix, "object"));
                    }

                    b++;
                }
            }

            foreach (var name in new[] { "elements", "columns", "actions" })
            {
                if (element.TryGetProperty(name, out var inner) && inner.ValueKind == JsonValueKind.Array)
                {
                    if (name == "columns")
                    {
                        var c = 0;
                        foreach (var column in inner.EnumerateArray())
                        {
                            if (column.ValueKind == JsonValueKind.Object && column.TryGetProperty("elements", out var nested) && nested.ValueKind == JsonValueKind.Array)
                            {
                                Walk(nested, at + ".columns[" + c.ToString(CultureInfo.InvariantCulture) + "].elements", problems);
                            }

                            c++;
                        }
                    }
                    else
                    {
                        Walk(inner, at + "." + name, problems);
                    }
                }
            }
        }
    }
}
