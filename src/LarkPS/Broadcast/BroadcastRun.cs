using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Journal;

namespace LarkPS.Broadcast;

/// <summary>
/// One Send-LarkBroadcast run without PowerShell: receivers de-duplicated, e-mail addresses and phone numbers resolved 50 to a call,
/// split into batch_send requests of at most 200 ids of one kind, the journal asked who was already sent, then the
/// requests sent a few at a time through the choke point (paced by the batch quota class). A request has no uuid: what
/// Lark refused is final for this run (the caller retried what "not accepted" refusals allow); what left without an
/// answer is "may have been sent" and never resent by itself.
/// </summary>
internal sealed class BroadcastRun
{
    public const int MaxPerRequest = 200;

    public const string OpenId = "open_id";
    public const string UserId = "user_id";
    public const string UnionId = "union_id";
    public const string Department = "department";
    public const string Email = "email";
    public const string Phone = "phone";

    private static readonly string[] KindOrder = { Department, OpenId, UserId, UnionId };

    private readonly BatchMessages _api;
    private readonly UserDirectory _users;
    private readonly BroadcastJournal? _journal;
    private readonly int _throttleLimit;
    private readonly bool _force;

    public BroadcastRun(BatchMessages api, UserDirectory users, BroadcastJournal? journal, int throttleLimit, bool force)
    {
        _api = api ?? throw new ArgumentNullException(nameof(api));
        _users = users ?? throw new ArgumentNullException(nameof(users));
        _journal = journal;
        _throttleLimit = Math.Max(1, throttleLimit);
        _force = force;
    }

    /// <summary>The list field a kind travels in.</summary>
    public static string ListOf(string kind) => kind switch
    {
        Department => "department_ids",
        UserId => "user_ids",
        UnionId => "union_ids",
        _ => "open_ids",
    };

    /// <summary>Each receiver once (e-mail addresses compared without case), in the order first given.</summary>
    public static List<LarkBroadcastReceiver> Distinct(IEnumerable<LarkBroadcastReceiver> receivers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<LarkBroadcastReceiver>();
        foreach (var receiver in receivers)
        {
            var id = receiver.Kind == Email ? receiver.Id.ToUpperInvariant() : receiver.Id;
            if (seen.Add(receiver.Kind + "\n" + id))
            {
                result.Add(receiver);
            }
        }

        return result;
    }

    /// <summary>
    /// E-mail addresses and phone numbers to open_ids (50 of each a call, as batch_get_id takes them); returns who can
    /// be sent to and who not (named, with why). <paramref name="lookupValue"/> gives a phone's number as Lark looks it up.
    /// </summary>
    public async Task<(List<LarkBroadcastReceiver> Ready, List<LarkBroadcastReceiver> Invalid)> ResolveAsync(
        IReadOnlyList<LarkBroadcastReceiver> given, Func<LarkBroadcastReceiver, string> lookupValue, CancellationToken cancellationToken)
    {
        var invalid = new List<LarkBroadcastReceiver>();
        var emails = given.Where(r => r.Kind == Email).ToList();
        var phones = given.Where(r => r.Kind == Phone).ToList();
        for (var start = 0; start < Math.Max(emails.Count, phones.Count); start += UserDirectory.MaxBatch)
        {
            var chunk = emails.Skip(start).Take(UserDirectory.MaxBatch).Concat(phones.Skip(start).Take(UserDirectory.MaxBatch)).ToList();
            var asked = chunk.Select(r => r.Kind == Email ? (r.Input, "Email", r.Id) : (r.Input, "Phone", lookupValue(r))).ToList();
            var answers = await _users.LookupAsync(asked, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Count; i++)
            {
                if (answers[i] is { Status: LarkUserStatus.Found, OpenId: { } openId })
                {
                    chunk[i].Kind = OpenId;
                    chunk[i].Id = openId;
                }
                else
                {
                    invalid.Add(NotFound(chunk[i], answers[i]));
                }
            }
        }

        // An address and the open_id it resolved to are one user: sent to once.
        var ready = Distinct(given.Where(r => r.Reason is null));
        return (ready, invalid);
    }

    /// <summary>Marks <paramref name="receiver"/> as one that gets no broadcast because of what the look-up of <paramref name="user"/> said.</summary>
    internal static LarkBroadcastReceiver NotFound(LarkBroadcastReceiver receiver, LarkUser user)
    {
        receiver.Reason = NotFoundReason(user);
        receiver.Fix = FixAfter(receiver.Reason, user.Fix);
        return receiver;
    }

    // Why a looked-up user gets no broadcast, in a few words (its fix says what to do).
    private static string NotFoundReason(LarkUser user) => user.Status switch
    {
        LarkUserStatus.Resigned => "the user has resigned",
        LarkUserStatus.Frozen => "the account is frozen",
        _ => "Lark has no user the app can see with this " + (user.InputType == "Email" ? "e-mail address" : "phone number"),
    };

    /// <summary>A look-up's fix without the words that restate <paramref name="reason"/> ("Lark has no user …: check it" becomes "Check it").</summary>
    private static string? FixAfter(string reason, string? fix)
    {
        if (fix is null || !fix.StartsWith(reason + ": ", StringComparison.OrdinalIgnoreCase))
        {
            return fix;
        }

        var rest = fix.Substring(reason.Length + 2);
        return rest.Length == 0 ? null : char.ToUpperInvariant(rest[0]) + rest.Substring(1);
    }

    /// <summary>
    /// The requests: receivers the journal has not seen accepted (nor, without -Force, submitted without an answer),
    /// grouped by kind, at most 200 each. Returns how many the journal skipped.
    /// </summary>
    public List<LarkBroadcastRequest> Plan(BroadcastContent content, IReadOnlyList<LarkBroadcastReceiver> ready, out int skipped, out int unconfirmedSkipped)
    {
        skipped = 0;
        unconfirmedSkipped = 0;
        var fingerprint = content.Fingerprint();
        var toSend = new List<LarkBroadcastReceiver>();
        foreach (var receiver in ready)
        {
            var state = _journal?.Find(_journal.KeyOf(fingerprint, receiver.Kind, receiver.Id));
            if (state == BroadcastState.Accepted || (state == BroadcastState.Submitted && !_force))
            {
                skipped++;
                unconfirmedSkipped += state == BroadcastState.Submitted ? 1 : 0;
                continue;
            }

            toSend.Add(receiver);
        }

        var requests = new List<LarkBroadcastRequest>();
        foreach (var kind in KindOrder)
        {
            var ofKind = toSend.Where(r => r.Kind == kind).ToList();
            for (var start = 0; start < ofKind.Count; start += MaxPerRequest)
            {
                requests.Add(new LarkBroadcastRequest(requests.Count + 1, ListOf(kind), ofKind.Skip(start).Take(MaxPerRequest).ToList()));
            }
        }

        return requests;
    }

    /// <summary>Sends the requests, at most the throttle limit at once; every request ends with a status. Returns the time taken.</summary>
    public async Task<TimeSpan> SendAsync(BroadcastContent content, IReadOnlyList<LarkBroadcastRequest> requests, List<LarkBroadcastReceiver> invalid, CancellationToken cancellationToken)
    {
        var fingerprint = content.Fingerprint();
        var watch = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(_throttleLimit);
        var invalidLock = new object();
        var tasks = requests.Select(async request =>
        {
            try
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                request.Reason = "the run was stopped before this request was sent";
                return;
            }

            try
            {
                var found = await SendOneAsync(content, fingerprint, request, cancellationToken).ConfigureAwait(false);
                lock (invalidLock)
                {
                    invalid.AddRange(found);
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return watch.Elapsed;
    }

    private async Task<List<LarkBroadcastReceiver>> SendOneAsync(BroadcastContent content, string fingerprint, LarkBroadcastRequest request, CancellationToken cancellationToken)
    {
        var body = LarkApiClient.WriteJson(w =>
        {
            w.WriteString("msg_type", content.MsgType);
            w.WritePropertyName(content.Field);
            w.WriteRawValue(content.Json, skipInputValidation: true);
            w.WriteStartArray(request.Kind);
            foreach (var receiver in request.Receivers)
            {
                w.WriteStringValue(receiver.Id);
            }

            w.WriteEndArray();
        });
        var journalId = Guid.NewGuid().ToString("N");

        // Before the request leaves: a run killed now leaves these receivers "may have been sent", never lost.
        _journal?.Submitted(journalId, request.Receivers.Select(r => _journal.KeyOf(fingerprint, r.Kind, r.Id)).ToList());
        request.Attempts = 1;
        try
        {
            var answer = await _api.SendAsync(body, cancellationToken).ConfigureAwait(false);
            request.Status = "Accepted";
            request.MessageId = answer.MessageId;
            _journal?.Outcome(journalId, BroadcastState.Accepted, answer.MessageId);
            var named = new HashSet<string>(answer.Invalid.TryGetValue(request.Kind, out var ids) ? ids : Array.Empty<string>(), StringComparer.Ordinal);
            var invalid = request.Receivers.Where(r => named.Contains(r.Id)).ToList();
            foreach (var receiver in invalid)
            {
                receiver.Reason = receiver.Kind == Department
                    ? "Lark named this department invalid: it does not exist or is outside the app's contact scope (the rest of the request was sent)"
                    : "Lark named this " + receiver.Kind + " invalid: no such user for this app, or outside its availability range (the rest of the request was sent)";
                receiver.Fix = receiver.Kind == Department
                    ? "Get-LarkDepartment -Recurse lists the departments the app sees; widen the app's contact scope in the developer console to reach others."
                    : "Get-LarkUser shows whether the app sees the user; widen the app's availability range in the developer console to reach others.";
            }

            return invalid;
        }
        catch (LarkApiException ex) when (ex.MayHaveArrived)
        {
            request.Status = "MayHaveBeenSent";
            request.Reason = "no answer after the request left (" + ex.Message + "): Lark may have accepted it";
            request.Error = ex;
        }
        catch (LarkApiException ex)
        {
            request.Status = "Refused";
            request.Reason = ex.Message;
            request.Error = ex;
            _journal?.Outcome(journalId, BroadcastState.Refused, null);
        }
        catch (OperationCanceledException ex)
        {
            // Stopped while the request was on its way: whether it left is unknown.
            request.Status = "MayHaveBeenSent";
            request.Reason = "the run was stopped while this request was on its way: Lark may have accepted it";
            request.Error = ex;
        }

        return new List<LarkBroadcastReceiver>();
    }
}
