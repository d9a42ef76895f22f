using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace LarkPS.Api;

/// <summary>
/// E-mail addresses and phone numbers to open_ids with POST contact/v3/users/batch_get_id, 50 of each per call,
/// asked with include_resigned=true so a resigned user is told apart from one Lark does not show at all.
/// </summary>
internal sealed class UserDirectory
{
    public const int MaxBatch = 50;

    /// <summary>
    /// The input type of an open_id given in the input (a row's OpenId column): answered as given, without a call,
    /// since batch_get_id looks up only e-mail addresses and phone numbers. A wrong one fails at send with Lark's code.
    /// </summary>
    public const string OpenIdType = "OpenId";

    private const string VisibleRangeFix =
        "add the user to the app's availability (visible) range in the developer console (App Versions > Version Management & Release > Availability) and publish a new app version";

    private readonly LarkApiClient _client;
    private readonly RetryingCaller _caller;
    private int _calls;

    public UserDirectory(LarkApiClient client, RetryingCaller caller)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _caller = caller ?? throw new ArgumentNullException(nameof(caller));
    }

    /// <summary>Why look-ups were retried, for the cmdlet to write as verbose lines.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> RetryReasons => _caller.RetryReasons;

    /// <summary>batch_get_id calls made on this connection.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>One answer per (type, value) asked, in the order asked. At most 50 emails and 50 mobiles; open_ids (<see cref="OpenIdType"/>) are answered as given.</summary>
    public async Task<IReadOnlyList<LarkUser>> LookupAsync(IReadOnlyList<(string Input, string InputType, string LookedUp)> asked, CancellationToken cancellationToken)
    {
        if (asked is null)
        {
            throw new ArgumentNullException(nameof(asked));
        }

        var emails = asked.Where(a => a.InputType == "Email").Select(a => a.LookedUp).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var mobiles = asked.Where(a => a.InputType == "Phone").Select(a => a.LookedUp).Distinct(StringComparer.Ordinal).ToList();
        if (emails.Count > MaxBatch || mobiles.Count > MaxBatch)
        {
            throw new ArgumentException("At most 50 e-mail addresses and 50 phone numbers go in one batch_get_id call.", nameof(asked));
        }

        if (emails.Count == 0 && mobiles.Count == 0)
        {
            return asked.Select(a => Interpret(a.Input, a.InputType, a.LookedUp, null)).ToList();
        }

        var request = new LarkRequest(HttpMethod.Post, "open-apis/contact/v3/users/batch_get_id?user_id_type=open_id", LarkOperation.LookupUsers, "look up users by e-mail or phone")
        {
            JsonBody = LarkApiClient.WriteJson(w =>
            {
                if (emails.Count > 0)
                {
                    w.WriteStartArray("emails");
                    emails.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                }

                if (mobiles.Count > 0)
                {
                    w.WriteStartArray("mobiles");
                    mobiles.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                }

                w.WriteBoolean("include_resigned", true);
            }),
        };
        var response = await _caller.RunAsync(ct => _client.SendAsync(request, ct), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _calls);

        var byEmail = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        var byMobile = new List<(string Mobile, JsonElement Item)>();
        if (response.Data.ValueKind == JsonValueKind.Object && response.Data.TryGetProperty("user_list", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
            {
                if (StringOf(item, "email") is { } email && (!byEmail.ContainsKey(email) || StringOf(item, "user_id") is not null))
                {
                    byEmail[email] = item;
                }
                else if (StringOf(item, "mobile") is { } mobile)
                {
                    byMobile.Add((mobile, item));
                }
            }
        }

        return asked.Select(a =>
        {
            JsonElement? item = null;
            if (a.InputType == "Email" && byEmail.TryGetValue(a.LookedUp, out var e))
            {
                item = e;
            }
            else if (a.InputType == "Phone")
            {
                // Lark echoes the number; match it back whether or not it added or dropped a +86.
                var hit = byMobile.Where(m => SameNumber(a.LookedUp, m.Mobile)).OrderByDescending(m => StringOf(m.Item, "user_id") is not null).ToList();
                item = hit.Count > 0 ? hit[0].Item : null;
            }

            return Interpret(a.Input, a.InputType, a.LookedUp, item);
        }).ToList();
    }

    private static LarkUser Interpret(string input, string inputType, string lookedUp, JsonElement? item)
    {
        if (inputType == OpenIdType)
        {
            return new LarkUser(input, inputType, null, lookedUp, LarkUserStatus.Found, null);
        }

        var openId = item is { } i ? StringOf(i, "user_id") : null;
        if (openId is null)
        {
            var what = inputType == "Email" ? "e-mail address" : "phone number";
            return new LarkUser(input, inputType, lookedUp, null, LarkUserStatus.NotFound,
                $"Lark has no user the app can see with this {what}: check it (Lark matches the user's own {what}, not an enterprise alias" +
                (inputType == "Phone" ? "; outside mainland China give + and the country code" : string.Empty) +
                "). If it is right, the user is outside the app's visible range: " + VisibleRangeFix + ". Lark answers both cases alike.");
        }

        var status = item!.Value.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        if (Flag(status, "is_resigned"))
        {
            return new LarkUser(input, inputType, lookedUp, openId, LarkUserStatus.Resigned,
                "The user has resigned: messages to them fail (230029). Send to someone else, or remove them from the list.");
        }

        if (Flag(status, "is_frozen"))
        {
            return new LarkUser(input, inputType, lookedUp, openId, LarkUserStatus.Frozen,
                "The account is frozen by an administrator of the tenant: ask them to unfreeze it, or send to someone else.");
        }

        return new LarkUser(input, inputType, lookedUp, openId, LarkUserStatus.Found, null);
    }

    private static bool Flag(JsonElement status, string name) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static bool SameNumber(string asked, string answered)
    {
        static string Strip(string s)
        {
            var digits = new string(s.Where(char.IsDigit).ToArray());
            return digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) ? digits.Substring(2) : digits;
        }

        return string.Equals(Strip(asked), Strip(answered), StringComparison.Ordinal);
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
