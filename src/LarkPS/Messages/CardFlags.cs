using System;
using System.Text.Json;

namespace LarkPS.Messages;

/// <summary>Whether a card is shared (<c>config.update_multi: true</c>), which Lark requires of a card it updates.</summary>
internal enum CardSharing
{
    /// <summary>No <c>config.update_multi: true</c>: Lark will not update the card.</summary>
    NotShared,

    /// <summary><c>config.update_multi: true</c> at the top.</summary>
    Shared,

    /// <summary>A template or card-kit card (<c>{"type":"template"|"card",…}</c>): its config lives in the template.</summary>
    Template,
}

/// <summary>
/// A card's <c>config.update_multi</c>: Lark updates a sent card (PATCH) only where the card as sent and the new
/// card both declare it true, which makes the card "shared" (one card for everyone in the chat). v1 and schema 2.0
/// cards both keep config at the top.
/// </summary>
internal static class CardFlags
{
    private const string UpdateMulti = "update_multi";

    /// <summary>
    /// Writes <paramref name="card"/> with <c>config.update_multi: true</c>, in the same pass as the content is
    /// written anyway (no second parse): an existing config keeps its other settings; a template, a config that is
    /// not an object, or anything but an object is written as it is.
    /// </summary>
    public static void WriteShared(Utf8JsonWriter writer, JsonElement card)
    {
        if (card.ValueKind != JsonValueKind.Object || IsTemplate(card)
            || (card.TryGetProperty("config", out var given) && given.ValueKind != JsonValueKind.Object))
        {
            card.WriteTo(writer);
            return;
        }

        var sawConfig = false;
        writer.WriteStartObject();
        foreach (var property in card.EnumerateObject())
        {
            if (property.NameEquals("config"))
            {
                sawConfig = true;
                writer.WritePropertyName(property.Name);
                writer.WriteStartObject();
                foreach (var setting in property.Value.EnumerateObject())
                {
                    if (!setting.NameEquals(UpdateMulti))
                    {
                        setting.WriteTo(writer);
                    }
                }

                writer.WriteBoolean(UpdateMulti, true);
                writer.WriteEndObject();
                continue;
            }

            property.WriteTo(writer);
        }

        if (!sawConfig)
        {
            writer.WriteStartObject("config");
            writer.WriteBoolean(UpdateMulti, true);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>How a card's compact UTF-8 JSON declares itself; read with a forward-only reader, nothing parsed into a tree.</summary>
    public static CardSharing Of(byte[] contentUtf8)
    {
        if (contentUtf8 is null)
        {
            throw new ArgumentNullException(nameof(contentUtf8));
        }

        var reader = new Utf8JsonReader(contentUtf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return CardSharing.NotShared;
        }

        var shared = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type");
            var isConfig = reader.ValueTextEquals("config");
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String && (reader.ValueTextEquals("template") || reader.ValueTextEquals("card")))
            {
                return CardSharing.Template;
            }

            if (isConfig && reader.TokenType == JsonTokenType.StartObject)
            {
                var depth = reader.CurrentDepth;
                while (reader.Read() && reader.CurrentDepth > depth)
                {
                    if (reader.CurrentDepth == depth + 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(UpdateMulti))
                    {
                        reader.Read();
                        shared = reader.TokenType == JsonTokenType.True;
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            reader.Skip();
                        }
                    }
                }

                continue;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return shared ? CardSharing.Shared : CardSharing.NotShared;
    }

    private static bool IsTemplate(JsonElement card) =>
        card.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is "template" or "card";
}
