using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace LarkPS.Messages;

/// <summary>Where a message goes: Lark's receive_id_type and id, or a phone number still to be resolved to an open_id.</summary>
internal sealed class ReceiveTarget
{
    private const string OpenIdPrefix = "ou_";
    private const string UnionIdPrefix = "on_";
    private const string ChatIdPrefix = "oc_";

    private static readonly Regex EmailShape = new(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", RegexOptions.CultureInvariant);

    private ReceiveTarget(string receiveType, string? receiveId, PhoneNumber? phone)
    {
        ReceiveType = receiveType;
        ReceiveIdType = ReceiveTypes.ToReceiveIdType(receiveType);
        ReceiveId = receiveId;
        Phone = phone;
    }

    /// <summary>The receiveType, normalized: user, email, phone, chat, open_id, union_id, user_id or chat_id.</summary>
    public string ReceiveType { get; }

    /// <summary>Lark's receive_id_type; open_id for a phone number.</summary>
    public string ReceiveIdType { get; }

    /// <summary>The id to send to, trimmed; null for a phone number until it is resolved.</summary>
    public string? ReceiveId { get; }

    /// <summary>The normalized phone number to resolve with batch_get_id; null for every other receiveType.</summary>
    public PhoneNumber? Phone { get; }

    /// <summary>True when the open_id must first be looked up from <see cref="Phone"/>.</summary>
    public bool NeedsResolution => Phone is not null;

    /// <summary>Checks a receiveType and receiveId; adds every problem to <paramref name="problems"/> and returns null if any.</summary>
    public static ReceiveTarget? Create(string? receiveType, string? receiveId, ICollection<ValidationProblem> problems)
    {
        if (problems is null)
        {
            throw new ArgumentNullException(nameof(problems));
        }

        var type = ReceiveTypes.Normalize(receiveType);
        if (type is null)
        {
            problems.Add(new ValidationProblem(
                "receiveType",
                ValidationProblem.Quote(receiveType!) + " is not a receive type",
                ValidationProblem.OneOf(ReceiveTypes.All),
                "string"));
            return null;
        }

        var id = receiveId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            problems.Add(new ValidationProblem("receiveId", "is missing", ExpectedId(type), "missing"));
            return null;
        }

        if (type == ReceiveTypes.Phone)
        {
            var phone = PhoneNumber.TryParse(id, out var phoneProblem);
            if (phone is null)
            {
                problems.Add(new ValidationProblem("receiveId", phoneProblem!, PhoneNumber.ExpectedShape, "string"));
                return null;
            }

            return new ReceiveTarget(type, null, phone);
        }

        var problem = CheckId(type, id!, given: !string.IsNullOrWhiteSpace(receiveType));
        if (problem is not null)
        {
            problems.Add(problem);
            return null;
        }

        return new ReceiveTarget(type, id, null);
    }

    /// <summary>What a good receiveId looks like for a normalized receiveType.</summary>
    public static string ExpectedId(string receiveType) => receiveType switch
    {
        ReceiveTypes.User or ReceiveTypes.OpenId => "an open_id starting with 'ou_'",
        ReceiveTypes.UnionId => "a union_id starting with 'on_'",
        ReceiveTypes.Chat or ReceiveTypes.ChatId => "a chat_id starting with 'oc_'",
        ReceiveTypes.Email => "an e-mail address like 'name@example.com'",
        ReceiveTypes.UserId => "a user_id without spaces",
        ReceiveTypes.Phone => PhoneNumber.ExpectedShape,
        _ => "a receive id",
    };

    // The problem with an id of a normalized receiveType, with the likely cause and its fix where the id's shape tells
    // one (issue 26): a chat's name given without -ReceiveType, an e-mail address missing its domain.
    private static ValidationProblem? CheckId(string type, string id, bool given)
    {
        switch (type)
        {
            case ReceiveTypes.User:
            case ReceiveTypes.OpenId:
                return CheckPrefixed(type, id, OpenIdPrefix, "an open_id", given);
            case ReceiveTypes.UnionId:
                return CheckPrefixed(type, id, UnionIdPrefix, "a union_id", given);
            case ReceiveTypes.Chat:
            case ReceiveTypes.ChatId:
                return CheckPrefixed(type, id, ChatIdPrefix, "a chat id", given);
            case ReceiveTypes.Email:
                return EmailShape.IsMatch(id)
                    ? null
                    : Problem(type, ValidationProblem.Quote(id) + " is not an e-mail address", fix: "Write the whole e-mail address" + (EmailFlaw(id) is { } flaw ? " (" + flaw + ")" : string.Empty) + ", as in 'name@example.com'.");
            default:
                return HasWhiteSpace(id) ? Problem(type, ValidationProblem.Quote(id) + " has spaces, which a user_id never has") : null;
        }
    }

    private static ValidationProblem? CheckPrefixed(string type, string id, string prefix, string what, bool given)
    {
        if (id.Length > prefix.Length && id.StartsWith(prefix, StringComparison.Ordinal) && !HasWhiteSpace(id))
        {
            return null;
        }

        var problem = ValidationProblem.Quote(id) + " is not " + what;
        if (EmailFlaw(id) is { } flaw && !EmailShape.IsMatch(id))
        {
            return Problem(
                type,
                problem + " (it looks like an incomplete e-mail address: " + flaw + ")",
                fix: "Write the whole e-mail address, as in 'name@example.com'" + (given ? ", and give receiveType 'email'." : "; receiveType email is then inferred from it."));
        }

        if (Suggest(id, prefix) is { } suggested)
        {
            return Problem(
                type,
                problem + " (it looks like one for receiveType '" + suggested + "')",
                fix: "Give receiveType '" + suggested + "' for this id, or no receiveType at all: it is inferred from the id's shape.");
        }

        if (prefix == OpenIdPrefix && LooksLikeChatName(id, given))
        {
            return Problem(
                type,
                problem + (given ? " (it looks like a chat's name)" : " (without a receiveType an open_id is expected; it looks like a chat's name)"),
                "-ReceiveType chat to send to the chat of that name, or " + ExpectedId(type),
                "Add -ReceiveType chat (or a receiveType 'chat' property) to send to the chat named " + ValidationProblem.Quote(id) + "; Get-LarkChat lists the bot's chats.");
        }

        return Problem(type, problem);
    }

    private static ValidationProblem Problem(string type, string problem, string? expected = null, string? fix = null) =>
        new("receiveId", problem, expected ?? ExpectedId(type), "string", fix);

    // A wrong id is most often a right id with the wrong receiveType: the one that fits, if any.
    private static string? Suggest(string id, string expectedPrefix) =>
        expectedPrefix != OpenIdPrefix && id.StartsWith(OpenIdPrefix, StringComparison.Ordinal) ? "user" :
        expectedPrefix != ChatIdPrefix && id.StartsWith(ChatIdPrefix, StringComparison.Ordinal) ? "chat" :
        expectedPrefix != UnionIdPrefix && id.StartsWith(UnionIdPrefix, StringComparison.Ordinal) ? "union_id" :
        EmailShape.IsMatch(id) ? "email" :
        PhoneNumber.TryParse(id, out _) is not null ? "phone" :
        null;

    /// <summary>What keeps a text with an '@' from being an e-mail address ("the part after the @ has no dot"); null without an '@' or when it is one.</summary>
    internal static string? EmailFlaw(string id)
    {
        var at = id.IndexOf('@');
        if (at < 0 || EmailShape.IsMatch(id))
        {
            return null;
        }

        var domain = id.Substring(at + 1);
        return domain.IndexOf('@') >= 0 ? "it has more than one @"
            : HasWhiteSpace(id) ? "it has a space in it"
            : at == 0 ? "nothing comes before the @"
            : domain.Length == 0 ? "nothing comes after the @"
            : domain.IndexOf('.') < 0 ? "the part after the @ has no dot, as example.com has"
            : "the part after the @ has an empty piece between dots";
    }

    // A chat's name rather than an id: a space or a non-ASCII letter (Chinese names), or (when no receiveType was
    // given at all) a plain word such as "General". Never an id of a known prefix, an address or a phone number.
    private static bool LooksLikeChatName(string id, bool given)
    {
        if (id.StartsWith(OpenIdPrefix, StringComparison.Ordinal) || id.StartsWith(ChatIdPrefix, StringComparison.Ordinal)
            || id.StartsWith(UnionIdPrefix, StringComparison.Ordinal) || id.IndexOf('@') >= 0 || PhoneNumber.TryParse(id, out _) is not null)
        {
            return false;
        }

        var plainWord = true;
        foreach (var c in id)
        {
            if (char.IsWhiteSpace(c) || c > '\u007F')
            {
                return true;
            }

            plainWord &= char.IsLetter(c) || c is '-' or '\'' or '&';
        }

        return !given && plainWord;
    }

    private static bool HasWhiteSpace(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }
}
