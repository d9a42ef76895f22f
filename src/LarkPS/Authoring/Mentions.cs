using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LarkPS.Messages;

namespace LarkPS.Authoring;

/// <summary>Someone a message mentions: a user by open_id, or everyone in the chat.</summary>
internal sealed class Mention : IEquatable<Mention>
{
    private Mention(string id) => Id = id;

    /// <summary>@all: everyone in the chat (a group that forbids it refuses the card).</summary>
    public static Mention All { get; } = new("all");

    /// <summary>"all", or the user's open_id (ou_…).</summary>
    public string Id { get; }

    public bool IsAll => Id == "all";

    public static Mention User(string openId)
    {
        if (!IsOpenId(openId))
        {
            throw new ArgumentException("'" + openId + "' is not an open_id (ou_ followed by letters and digits).", nameof(openId));
        }

        return new Mention(openId);
    }

    public static bool IsOpenId(string? value) =>
        value is { Length: > 3 } && value.StartsWith("ou_", StringComparison.Ordinal) && value.Skip(3).All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9'));

    public bool Equals(Mention? other) => other is not null && other.Id == Id;

    public override bool Equals(object? obj) => Equals(obj as Mention);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    public override string ToString() => IsAll ? "@all" : Id;
}

/// <summary>What one -Mention value is before any look-up: everyone, an open_id, an e-mail to resolve, or a problem.</summary>
internal sealed class MentionInput
{
    private MentionInput(string given, Mention? mention, string? email, string? problem)
    {
        Given = given;
        Mention = mention;
        Email = email;
        Problem = problem;
    }

    public string Given { get; }

    /// <summary>Set for "all" and open_ids.</summary>
    public Mention? Mention { get; }

    /// <summary>Set for an e-mail address, which the directory's batch_get_id turns into an open_id.</summary>
    public string? Email { get; }

    /// <summary>Why the value cannot be a mention; null when it can.</summary>
    public string? Problem { get; }

    /// <summary>A value that cannot be a mention, with the reason in words.</summary>
    public static MentionInput Invalid(string given, string problem) => new(given, null, null, problem);

    public static MentionInput Parse(string? given)
    {
        var value = given?.Trim() ?? string.Empty;
        if (string.Equals(value, "all", StringComparison.OrdinalIgnoreCase) || value == "@all")
        {
            return new MentionInput(value, Mention.All, null, null);
        }

        if (Mention.IsOpenId(value))
        {
            return new MentionInput(value, Mention.User(value), null, null);
        }

        var at = value.IndexOf('@');
        if (at > 0 && at < value.Length - 1 && value.IndexOf(' ') < 0 && value.IndexOf('@', at + 1) < 0)
        {
            return new MentionInput(value, null, value, null);
        }

        return new MentionInput(value, null, null,
            "'" + value + "' is neither 'all', an open_id (ou_…) nor an e-mail address");
    }
}

/// <summary>
/// Writes mentions in the form each content type needs (LARK-API.md, "content per msg_type" and "Card markdown"):
/// text <c>&lt;at user_id="ou_…"&gt;&lt;/at&gt;</c>, a post's <c>at</c> node, card markdown <c>&lt;at id=ou_…&gt;&lt;/at&gt;</c>;
/// everyone is user_id "all" / id=all.
/// </summary>
internal static class MentionWriter
{
    /// <summary>For a text message: the mentions, space-separated.</summary>
    public static string ForText(IEnumerable<Mention> mentions) =>
        string.Join(" ", Distinct(mentions).Select(m => "<at user_id=\"" + m.Id + "\"></at>"));

    /// <summary>For card markdown (a markdown component, lark_md): the mentions, space-separated.</summary>
    public static string ForCardMarkdown(IEnumerable<Mention> mentions) =>
        string.Join(" ", Distinct(mentions).Select(m => "<at id=" + m.Id + "></at>"));

    /// <summary>For a post: one paragraph of at nodes (a space between them).</summary>
    public static void WritePostParagraph(Utf8JsonWriter writer, IEnumerable<Mention> mentions)
    {
        writer.WriteStartArray();
        var first = true;
        foreach (var mention in Distinct(mentions))
        {
            if (!first)
            {
                writer.WriteStartObject();
                writer.WriteString("tag", "text");
                writer.WriteString("text", " ");
                writer.WriteEndObject();
            }

            first = false;
            writer.WriteStartObject();
            writer.WriteString("tag", "at");
            writer.WriteString("user_id", mention.Id);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// The content with the mentions added in its type's form: a text gets them after its text; a post a paragraph
    /// of at nodes at the end of each locale; a 2.0 card a markdown component at the end of its body (a 1.0 card a
    /// lark_md div). Other types, templates and card references cannot carry mentions: an ArgumentException says so.
    /// </summary>
    public static string AddToContent(string msgType, string contentJson, IReadOnlyCollection<Mention> mentions)
    {
        if (mentions is null || mentions.Count == 0)
        {
            return contentJson;
        }

        if (JsonNode.Parse(contentJson) is not JsonObject content)
        {
            throw new ArgumentException("The content is not a JSON object.", nameof(contentJson));
        }

        switch (msgType)
        {
            case ContentTypes.Text:
                var text = (string?)(content["text"] as JsonValue) ?? string.Empty;
                content["text"] = text.Length == 0 ? ForText(mentions) : text + " " + ForText(mentions);
                return MessageJson.WriteToString(w => content.WriteTo(w));
            case ContentTypes.Post:
                var paragraph = JsonNode.Parse(MessageJson.WriteToString(w => WritePostParagraph(w, mentions)))!;
                foreach (var locale in content.Select(p => p.Value).OfType<JsonObject>())
                {
                    if (locale["content"] is JsonArray paragraphs)
                    {
                        paragraphs.Add(paragraph.DeepClone());
                    }
                }

                return MessageJson.WriteToString(w => content.WriteTo(w));
            case ContentTypes.Interactive when content["type"] is null:
                var markdown = ForCardMarkdown(mentions);
                if ((string?)(content["schema"] as JsonValue) == "2.0")
                {
                    var body = content["body"] as JsonObject ?? new JsonObject();
                    content["body"] = body;
                    var elements = body["elements"] as JsonArray ?? new JsonArray();
                    body["elements"] = elements;
                    elements.Add(new JsonObject { ["tag"] = "markdown", ["content"] = markdown });
                }
                else
                {
                    var elements = content["elements"] as JsonArray ?? new JsonArray();
                    content["elements"] = elements;
                    elements.Add(new JsonObject { ["tag"] = "div", ["text"] = new JsonObject { ["tag"] = "lark_md", ["content"] = markdown } });
                }

                return MessageJson.WriteToString(w => content.WriteTo(w));
            default:
                throw new ArgumentException(
                    Capital(ContentTypes.WithArticle(msgType)) + (msgType == ContentTypes.Interactive ? " template or card reference" : " message") + " cannot carry mentions; text, post and card messages can.",
                    nameof(msgType));
        }
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    private static IEnumerable<Mention> Distinct(IEnumerable<Mention> mentions) => mentions.Distinct();

    internal static string Describe(IEnumerable<Mention> mentions)
    {
        var builder = new StringBuilder();
        foreach (var mention in Distinct(mentions))
        {
            builder.Append(builder.Length == 0 ? string.Empty : ", ").Append(mention);
        }

        return builder.ToString();
    }
}
