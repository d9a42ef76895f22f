using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Authoring;
using LarkPS.Session;

namespace LarkPS.Commands.Support;

/// <summary>One -Mention value read: the mention, an e-mail still to look up, or why it cannot be one.</summary>
internal sealed class MentionRequest
{
    public MentionRequest(object? given, MentionInput input)
    {
        Given = given;
        Input = input;
    }

    /// <summary>The value as the user gave it (a string, a Get-LarkUser result…): what an error names.</summary>
    public object? Given { get; }

    public MentionInput Input { get; }
}

/// <summary>
/// -Mention for any cmdlet: reads the values (e-mail addresses, open_ids, 'all', Get-LarkUser output, objects with an
/// OpenId / open_id property) and turns e-mail addresses into open_ids with the connection's directory (contact
/// batch_get_id, 50 a call), caching answers on the connection for an hour (a miss for 5 minutes), as phone numbers are.
/// </summary>
internal static class MentionLookup
{
    private static readonly TimeSpan FoundLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan NotFoundLifetime = TimeSpan.FromMinutes(5);

    // Per connection, without a field on it: the cache lives and dies with the connection object.
    private static readonly ConditionalWeakTable<LarkConnection, EmailCache> Caches = new();

    /// <summary>Reads each value; a LarkUser that was not found is a problem naming its status and fix.</summary>
    public static List<MentionRequest> Read(IEnumerable<object?> values)
    {
        var requests = new List<MentionRequest>();
        foreach (var value in Flatten(values))
        {
            var item = value is PSObject ps ? ps.BaseObject : value;
            switch (item)
            {
                case LarkUser user:
                    requests.Add(new MentionRequest(value, user.Status == LarkUserStatus.Found
                        ? MentionInput.Parse(user.OpenId)
                        : MentionInput.Invalid(user.Input, NotFound(user))));
                    break;
                case string text:
                    requests.Add(new MentionRequest(value, MentionInput.Parse(text)));
                    break;
                default:
                    var openId = OpenIdOf(value);
                    requests.Add(new MentionRequest(value, openId is not null
                        ? MentionInput.Parse(openId)
                        : MentionInput.Invalid(Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                            "a " + (item?.GetType().Name ?? "null") + " is not a mention: give 'all', an open_id (ou_…), an e-mail address, or a user from Get-LarkUser")));
                    break;
            }
        }

        return requests;
    }

    /// <summary>The open_id of each e-mail address (null with the reason where Lark has none), cached on the connection.</summary>
    public static async Task<IReadOnlyDictionary<string, (string? OpenId, string? Problem)>> ResolveAsync(
        LarkConnection connection, IReadOnlyCollection<string> emails, CancellationToken cancellationToken)
    {
        var cache = Caches.GetValue(connection, _ => new EmailCache());
        var answers = new Dictionary<string, (string?, string?)>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var email in emails.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (cache.TryGet(email, DateTimeOffset.UtcNow, out var cached))
            {
                answers[email] = cached;
            }
            else
            {
                missing.Add(email);
            }
        }

        for (var i = 0; i < missing.Count; i += UserDirectory.MaxBatch)
        {
            var batch = missing.Skip(i).Take(UserDirectory.MaxBatch).Select(e => (e, "Email", e)).ToList();
            var users = await connection.Users.LookupAsync(batch, cancellationToken).ConfigureAwait(false);
            foreach (var user in users)
            {
                var answer = user.Status == LarkUserStatus.Found
                    ? ((string?)user.OpenId, (string?)null)
                    : (null, NotFound(user));
                answers[user.Input] = answer;
                cache.Set(user.Input, answer, DateTimeOffset.UtcNow + (answer.Item1 is null ? NotFoundLifetime : FoundLifetime));
            }
        }

        return answers;
    }

    // Why a looked-up user cannot be mentioned: the look-up's own words ("Lark has no user the app can see with this
    // e-mail address: check it …", "The user has resigned …").
    private static string NotFound(LarkUser user) => "'" + user.Input + "': " + (user.Fix ?? "Get-LarkUser says " + user.Status);

    /// <summary>The e-mail addresses among <paramref name="requests"/> that need a look-up.</summary>
    public static List<string> EmailsOf(IEnumerable<MentionRequest> requests) =>
        requests.Where(r => r.Input.Email is not null).Select(r => r.Input.Email!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The mentions, in the order given; each value that is not one lands in <paramref name="problems"/>.</summary>
    public static List<Mention> Complete(
        IEnumerable<MentionRequest> requests, IReadOnlyDictionary<string, (string? OpenId, string? Problem)>? resolved, List<(object? Given, string Problem)> problems)
    {
        var mentions = new List<Mention>();
        foreach (var request in requests)
        {
            if (request.Input.Mention is { } mention)
            {
                mentions.Add(mention);
            }
            else if (request.Input.Email is { } email && resolved is not null && resolved.TryGetValue(email, out var answer))
            {
                if (answer.OpenId is not null && Mention.IsOpenId(answer.OpenId))
                {
                    mentions.Add(Mention.User(answer.OpenId));
                }
                else
                {
                    problems.Add((request.Given, answer.Problem ?? "Lark gave no open_id for '" + email + "'"));
                }
            }
            else
            {
                problems.Add((request.Given, request.Input.Problem ?? "'" + request.Input.Given + "' was not looked up"));
            }
        }

        return mentions;
    }

    private static IEnumerable<object?> Flatten(IEnumerable<object?> values)
    {
        foreach (var value in values)
        {
            var item = value is PSObject ps ? ps.BaseObject : value;
            if (item is IEnumerable list and not string and not IDictionary)
            {
                foreach (var inner in list)
                {
                    yield return inner;
                }
            }
            else
            {
                yield return value;
            }
        }
    }

    // An object from elsewhere (a CSV row, a [pscustomobject]) that carries an open_id.
    private static string? OpenIdOf(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var ps = value as PSObject ?? PSObject.AsPSObject(value);
        foreach (var name in new[] { "OpenId", "open_id" })
        {
            if (ps.Properties[name]?.Value is { } id && id.ToString() is { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }

    private sealed class EmailCache
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, ((string? OpenId, string? Problem) Answer, DateTimeOffset Expires)> _entries = new(StringComparer.OrdinalIgnoreCase);

        public bool TryGet(string email, DateTimeOffset now, out (string? OpenId, string? Problem) answer)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(email, out var entry) && entry.Expires > now)
                {
                    answer = entry.Answer;
                    return true;
                }
            }

            answer = default;
            return false;
        }

        public void Set(string email, (string? OpenId, string? Problem) answer, DateTimeOffset expires)
        {
            lock (_gate)
            {
                _entries[email] = (answer, expires);
            }
        }
    }
}
