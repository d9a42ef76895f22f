using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LarkPS.Sandbox.Http;

/// <summary>
/// Keeps whatever App Secret a client sends (a real app's, by mistake) out of the request log, which
/// /_sandbox/requests shows. The body is read as JSON, so an escaped name (<c>"app_\u0073ecret"</c>) is caught
/// the way the token endpoint reads it; a body that is not JSON but names the field is withheld whole.
/// </summary>
internal static partial class SecretRedactor
{
    private const string Field = "app_secret";

    // The long connection's endpoint body spells it {"AppID","AppSecret"} (issue 21).
    private const string EndpointField = "AppSecret";
    private const string Mask = "***";

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Redact(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        var escaped = text.Contains("\\u", StringComparison.OrdinalIgnoreCase);
        if (!escaped && !text.Contains(Field, StringComparison.OrdinalIgnoreCase) && !text.Contains(EndpointField, StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        try
        {
            return TryRewrite(body, out var redacted) ? redacted : text;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON (or not readable as such): keep it only if it cannot be spelling the field.
            return Unescape(text).Contains(Field, StringComparison.OrdinalIgnoreCase)
                ? $"[a body that is not valid JSON and names {Field}: withheld, {body.Length} bytes]"
                : text;
        }
    }

    /// <summary>Copies the JSON with every app_secret value (at any depth, any case, any escaping) masked.</summary>
    private static bool TryRewrite(byte[] body, out string redacted)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        using var output = new MemoryStream(body.Length);
        var found = false;
        using (var writer = new Utf8JsonWriter(output, Compact))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        writer.WritePropertyName(name);
                        if (string.Equals(name, Field, StringComparison.OrdinalIgnoreCase) || string.Equals(name, EndpointField, StringComparison.OrdinalIgnoreCase))
                        {
                            found = true;
                            reader.Read();
                            reader.Skip();
                            writer.WriteStringValue(Mask);
                        }

                        break;
                    case JsonTokenType.String: writer.WriteStringValue(reader.GetString()); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                }
            }
        }

        redacted = found ? Encoding.UTF8.GetString(output.ToArray()) : string.Empty;
        return found;
    }

    /// <summary>A path whose query's access_key and ticket (the long connection's secrets) are masked.</summary>
    public static string RedactQuery(string pathAndQuery) =>
        LongConnectionSecret().Replace(pathAndQuery, "$1" + Mask);

    [GeneratedRegex(@"((?:^|[?&])(?:access_key|ticket)=)[^&#]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LongConnectionSecret();

    private static string Unescape(string text) =>
        UnicodeEscape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    [GeneratedRegex(@"\\u([0-9a-fA-F]{4})", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UnicodeEscape();
}
