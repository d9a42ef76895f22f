using System;
using System.Collections.Generic;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkUser: e-mail addresses and phone numbers to open_ids with contact batch_get_id (50 of each per call,
/// paced and retried like sends). One output per input, in input order, with a Status and the fix in words.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkUser")]
[OutputType(typeof(LarkUser))]
public sealed class GetLarkUserCommand : LarkCmdlet
{
    private readonly List<(string Input, string InputType, string LookedUp)> _pending = new();
    private int _pendingEmails;
    private int _pendingPhones;
    private LarkConnection? _connection;

    /// <summary>E-mail addresses (the user's own, not an enterprise alias); from CSV rows by the column Email.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Mail", "EmailAddress")]
    [AllowEmptyString]
    public string[]? Email { get; set; }

    /// <summary>Phone numbers: mainland China bare (13800000001) or +86…, elsewhere + and the country code; from CSV rows by the column Phone.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Mobile", "PhoneNumber")]
    [AllowEmptyString]
    public string[]? Phone { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    protected override void BeginProcessing() => _connection = RequireAppConnection(Connection, "looks users up (POST /open-apis/contact/v3/users/batch_get_id)");

    protected override void ProcessRecord()
    {
        foreach (var email in Email ?? Array.Empty<string>())
        {
            var trimmed = email?.Trim() ?? string.Empty;
            if (trimmed.IndexOf('@') <= 0 || trimmed.IndexOf('@') == trimmed.Length - 1 || trimmed.IndexOf(' ') >= 0)
            {
                WriteError(ErrorRecords.WithFix(
                    new ArgumentException($"'{email}' is not an e-mail address."), ErrorIds.InvalidUserInput, ErrorCategory.InvalidArgument, email,
                    "Give an address like name@example.com; nothing was looked up for this one."));
                continue;
            }

            Add(email!, "Email", trimmed);
        }

        foreach (var phone in Phone ?? Array.Empty<string>())
        {
            var number = PhoneNumber.TryParse(phone?.Trim() ?? string.Empty, out var problem);
            if (number is null)
            {
                WriteError(ErrorRecords.WithFix(
                    new ArgumentException($"'{phone}' is not a phone number Lark can look up: {problem}."), ErrorIds.InvalidUserInput, ErrorCategory.InvalidArgument, phone,
                    "Give " + PhoneNumber.ExpectedShape + "; nothing was looked up for this one."));
                continue;
            }

            Add(phone!, "Phone", number.LookupValue);
        }
    }

    protected override void EndProcessing() => Flush();

    private void Add(string input, string type, string lookedUp)
    {
        // A batch holds at most 50 e-mail addresses and 50 numbers: flush before either would overflow.
        if ((type == "Email" ? _pendingEmails : _pendingPhones) >= UserDirectory.MaxBatch)
        {
            Flush();
        }

        _pending.Add((input, type, lookedUp));
        if (type == "Email")
        {
            _pendingEmails++;
        }
        else
        {
            _pendingPhones++;
        }
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending.ToArray();
        _pending.Clear();
        _pendingEmails = 0;
        _pendingPhones = 0;
        var connection = _connection!;
        IReadOnlyList<LarkUser> users;
        try
        {
            users = RunAsync(ct => connection.Users.LookupAsync(batch, ct));
        }
        catch (LarkApiException ex)
        {
            foreach (var item in batch)
            {
                WriteError(ErrorRecords.WithFix(
                    ex, ex.Row.ErrorId, ex.Row.Category, item.Input, ex.Row.Fix + (ex.LogId is null ? string.Empty : " (log id " + ex.LogId + ")"),
                    $"Could not look up '{item.Input}': {ex.Message}"));
            }

            return;
        }
        finally
        {
            while (connection.Users.RetryReasons.TryDequeue(out var reason))
            {
                WriteVerbose("Looking up users: " + reason);
            }
        }

        foreach (var user in users)
        {
            if (user.Status != LarkUserStatus.Found)
            {
                WriteVerbose($"{user.InputType} '{user.Input}': {user.Status}. {user.Fix}");
            }

            WriteObject(user);
        }
    }
}
