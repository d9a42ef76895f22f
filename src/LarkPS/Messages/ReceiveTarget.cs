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

        var problem = CheckId(type, id!);
        if (problem is not null)
        {
            problems.Add(new ValidationProblem("receiveId", problem, ExpectedId(type), "string"));
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

    private static string? CheckId(string type, string id)
    {
        switch (type)
        {
            case ReceiveTypes.User:
            case ReceiveTypes.OpenId:
                return CheckPrefixed(id, OpenIdPrefix, "an open_id");
            case ReceiveTypes.UnionId:
                return CheckPrefixed(id, UnionIdPrefix, "a union_id");
            case ReceiveTypes.Chat:
            case ReceiveTypes.ChatId:
                return CheckPrefixed(id, ChatIdPrefix, "a chat id");
            case ReceiveTypes.Email:
                return EmailShape.IsMatch(id) ? null : ValidationProblem.Quote(id) + " is not an e-mail address";
            default:
                return HasWhiteSpace(id) ? ValidationProblem.Quote(id) + " has spaces, which a user_id never has" : null;
        }
    }

    private static string? CheckPrefixed(string id, string prefix, string what)
    {
        if (id.Length > prefix.Length && id.StartsWith(prefix, StringComparison.Ordinal) && !HasWhiteSpace(id))
        {
            return null;
        }

        return ValidationProblem.Quote(id) + " is not " + what + Hint(id, prefix);
    }

    // A wrong id is most often a right id with the wrong receiveType: say which one fits.
    private static string Hint(string id, string expectedPrefix)
    {
        string? suggested =
            expectedPrefix != OpenIdPrefix && id.StartsWith(OpenIdPrefix, StringComparison.Ordinal) ? "user" :
            expectedPrefix != ChatIdPrefix && id.StartsWith(ChatIdPrefix, StringComparison.Ordinal) ? "chat" :
            expectedPrefix != UnionIdPrefix && id.StartsWith(UnionIdPrefix, StringComparison.Ordinal) ? "union_id" :
            EmailShape.IsMatch(id) ? "email" :
            PhoneNumber.TryParse(id, out _) is not null ? "phone" :
            null;
        return suggested is null ? string.Empty : " (it looks like one for receiveType '" + suggested + "')";
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
