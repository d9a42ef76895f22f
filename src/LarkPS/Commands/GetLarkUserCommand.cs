using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Linq;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using LarkPS.Session;

namespace LarkPS.Commands;

/// <summary>
/// Get-LarkUser: e-mail addresses and phone numbers to open_ids with contact batch_get_id (50 of each per call,
/// paced and retried like sends). One output per input, in input order, with a Status and the fix in words: a piped
/// object (a CSV row) is ONE input, addressed by the same rule Send-LarkMessage uses (<see cref="ReceiverColumns"/>:
/// the first present of OpenId, Email, Phone), so a row with both an Email and a Phone is one user, sent to once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LarkUser")]
[OutputType(typeof(LarkUser))]
public sealed class GetLarkUserCommand : LarkCmdlet
{
    private const string EmailType = "Email";
    private const string PhoneType = "Phone";

    private readonly List<(string Input, string InputType, string LookedUp, object Target)> _pending = new();
    private int _pendingEmails;
    private int _pendingPhones;
    private int _inputNumber;
    private LarkConnection? _connection;

    /// <summary>E-mail addresses (the user's own, not an enterprise alias).</summary>
    [Parameter(Position = 0)]
    [Alias("Mail", "EmailAddress")]
    [AllowEmptyString]
    public string[]? Email { get; set; }

    /// <summary>Phone numbers: mainland China bare (13800000001) or +86…, elsewhere + and the country code.</summary>
    [Parameter]
    [Alias("Mobile", "PhoneNumber")]
    [AllowEmptyString]
    public string[]? Phone { get; set; }

    /// <summary>
    /// What to look up, from the pipeline: a CSV row or object (its receiver columns, by the names of
    /// Send-LarkMessage's table: Email, E-Mail Address, Mobile Phone…), or an address or number as a string.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The connection to use; default: this session's, from Connect-Lark.</summary>
    [Parameter]
    [ValidateNotNull]
    public LarkConnection? Connection { get; set; }

    /// <summary>
    /// Lists the users of departments (by name, path, open_department_id or custom id) instead of looking addresses up:
    /// direct members, read as Lark pages them (find_by_department, 50 a page); with -Recurse the whole subtree, each user once.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(DepartmentCompleter))]
    public string[]? Department { get; set; }

    /// <summary>With -Department: the users of every department below too (who a broadcast to it reaches).</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    protected override void BeginProcessing()
    {
        if (MyInvocation.ExpectingInput && (Email is not null || Phone is not null))
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException("Get-LarkUser takes addresses either from the pipeline or from -Email / -Phone, not both."),
                ErrorIds.InvalidUserInput, ErrorCategory.InvalidArgument, null,
                "Pipe the rows alone (Import-Csv people.csv | Get-LarkUser), or give -Email / -Phone without pipeline input."));
        }

        if (Department is not null && (MyInvocation.ExpectingInput || Email is not null || Phone is not null))
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException("Get-LarkUser -Department lists a department's users; it takes no addresses to look up besides."),
                ErrorIds.InvalidUserInput, ErrorCategory.InvalidArgument, null,
                "Run Get-LarkUser -Department alone, or look addresses up in a second call."));
        }

        _connection = RequireAppConnection(Connection, "looks users up (POST /open-apis/contact/v3/users/batch_get_id)");
    }

    protected override void ProcessRecord()
    {
        if (MyInvocation.ExpectingInput || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
        {
            ReadPiped(InputObject);
            return;
        }

        // Given as parameters, each value is an input of its own.
        foreach (var email in Email ?? Array.Empty<string>())
        {
            AddEmail(email, email);
        }

        foreach (var phone in Phone ?? Array.Empty<string>())
        {
            AddPhone(phone, phone);
        }
    }

    protected override void EndProcessing()
    {
        if (Department is not null)
        {
            ListDepartmentUsers(Department);
            return;
        }

        Flush();
    }

    /// <summary>The type name Get-LarkUser -Department puts first on its users, for their table view.</summary>
    internal const string MemberTypeName = "LarkPS.Api.LarkUser#DepartmentMember";

    // The departments' users, each once, in tree order (a user in two of them is listed under the first).
    private void ListDepartmentUsers(string[] names)
    {
        var connection = _connection!;
        var tree = RunAsync(connection, ct => connection.Departments.GetTreeAsync(false, ct));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var department in BroadcastInputs.ResolveDepartments(names, tree, WriteError))
        {
            var departments = new List<LarkDepartment> { department };
            if (Recurse)
            {
                departments.AddRange(DepartmentDirectory.Below(tree, department));
            }

            foreach (var one in departments)
            {
                try
                {
                    foreach (var user in RunAsync(connection, ct => connection.Departments.GetUsersAsync(one, ct)).Where(u => seen.Add(u.OpenId!)))
                    {
                        // A member, not a look-up: shown by name and department (the LarkUserMember view).
                        var member = new PSObject(user);
                        member.TypeNames.Insert(0, MemberTypeName);
                        WriteObject(member);
                    }
                }
                catch (LarkApiException ex)
                {
                    WriteError(SendErrors.For(ex, one, "department " + one.Path, "list the users of"));
                }
            }
        }
    }

    // One piped object is one input: a string is an address, anything else a row whose receiver columns the rule
    // chooses from (the same choice Send-LarkMessage makes for that row).
    private void ReadPiped(PSObject? piped)
    {
        var item = piped?.BaseObject;
        if (item is null)
        {
            return;
        }

        var number = ++_inputNumber;
        object target = item is PSCustomObject ? piped! : item;
        if (item is string text)
        {
            AddString(text, target);
            return;
        }

        foreach (var input in PSInputReader.Read(piped))
        {
            var choice = ReceiverColumns.Pick(input.ReceiverColumns, null);
            if (choice.Note is { } note)
            {
                WriteVerbose("Input " + number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": " + note + ".");
            }

            switch (choice.Chosen)
            {
                case { ReceiveType: ReceiveTypes.Email } email:
                    AddEmail(email.Value, target);
                    break;
                case { ReceiveType: ReceiveTypes.Phone } phone:
                    AddPhone(phone.Value, target);
                    break;
                case { ReceiveType: ReceiveTypes.User } openId:
                    AddOpenId(openId.Value, target);
                    break;
                case { } chat:
                    WriteInvalid(target, $"Input {number} names a chat ({chat.Column} '{chat.Value.Trim()}'), not a user.",
                        "Send to the chat with Send-LarkMessage; Get-LarkUser looks up people by e-mail address or phone number.");
                    break;
                default:
                    WriteInvalid(target, $"Input {number} has no e-mail, phone or open_id column (its properties: {ListNames(input)})" +
                        (input.ReadProblems.Count > 0 ? "; " + string.Join("; ", input.ReadProblems) : string.Empty) + ".",
                        "Give each row an Email or Phone column (names as in Get-Help about_LarkPS, PIPELINES), or pipe the addresses themselves.");
                    break;
            }
        }
    }

    private void AddString(string text, object target)
    {
        var trimmed = text.Trim();
        switch (ReceiveTypeInference.Infer(trimmed))
        {
            case ReceiveTypes.Phone:
                AddPhone(text, target);
                break;
            case ReceiveTypes.User:
                AddOpenId(text, target);
                break;
            case ReceiveTypes.Email:
                AddEmail(text, target);
                break;
            default:
                if (trimmed.IndexOf('@') >= 0)
                {
                    AddEmail(text, target);
                    break;
                }

                WriteInvalid(target, $"'{text}' is neither an e-mail address, a phone number nor an open_id.",
                    "Pipe e-mail addresses (name@example.com), phone numbers (" + PhoneNumber.ExpectedShape + ") or rows with an Email or Phone column.");
                break;
        }
    }

    private void AddEmail(string? email, object? target)
    {
        var trimmed = email?.Trim() ?? string.Empty;
        if (trimmed.IndexOf('@') <= 0 || trimmed.IndexOf('@') == trimmed.Length - 1 || trimmed.IndexOf(' ') >= 0)
        {
            WriteInvalid(target ?? email, $"'{email}' is not an e-mail address" + (ReceiveTarget.EmailFlaw(trimmed) is { } flaw ? ": " + flaw : string.Empty) + ".",
                "Give an address like name@example.com; nothing was looked up for this one.");
            return;
        }

        Add(email!, EmailType, trimmed, target ?? email!);
    }

    private void AddPhone(string? phone, object? target)
    {
        var number = PhoneNumber.TryParse(phone?.Trim() ?? string.Empty, out var problem);
        if (number is null)
        {
            WriteInvalid(target ?? phone, $"'{phone}' is not a phone number Lark can look up: {problem}.",
                "Give " + PhoneNumber.ExpectedShape + "; nothing was looked up for this one.");
            return;
        }

        Add(phone!, PhoneType, number.LookupValue, target ?? phone!);
    }

    // An open_id is the answer already: it goes out as given, in its place in the input order, without a call.
    private void AddOpenId(string openId, object target)
    {
        var trimmed = openId.Trim();
        if (!(trimmed.Length > 3 && trimmed.StartsWith("ou_", StringComparison.Ordinal) && trimmed.IndexOf(' ') < 0))
        {
            WriteInvalid(target, $"'{openId}' is not an open_id (ou_…).", "Give the user's open_id (ou_…), or their e-mail address or phone number; nothing was looked up for this one.");
            return;
        }

        _pending.Add((openId, UserDirectory.OpenIdType, trimmed, target));
    }

    private void WriteInvalid(object? target, string message, string fix) =>
        WriteError(ErrorRecords.WithFix(new ArgumentException(message), ErrorIds.InvalidUserInput, ErrorCategory.InvalidArgument, target, fix));

    private static string ListNames(MessageInput input) =>
        input.PropertyNames is { Count: > 0 } names ? string.Join(", ", names.Take(12)) + (names.Count > 12 ? ", …" : string.Empty) : "none";

    private void Add(string input, string type, string lookedUp, object target)
    {
        // A batch holds at most 50 e-mail addresses and 50 numbers: flush before either would overflow.
        if ((type == EmailType ? _pendingEmails : _pendingPhones) >= UserDirectory.MaxBatch)
        {
            Flush();
        }

        _pending.Add((input, type, lookedUp, target));
        if (type == EmailType)
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
        var asked = batch.Select(b => (b.Input, b.InputType, b.LookedUp)).ToList();
        IReadOnlyList<LarkUser> users;
        try
        {
            users = RunAsync(connection, ct => connection.Users.LookupAsync(asked, ct));
        }
        catch (LarkApiException ex)
        {
            foreach (var item in batch)
            {
                WriteError(ErrorRecords.WithFix(
                    ex, ex.Row.ErrorId, ex.Row.Category, item.Target, ex.Row.Fix + (ex.LogId is null ? string.Empty : " (log id " + ex.LogId + ")"),
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
            if (user.InputType == UserDirectory.OpenIdType)
            {
                WriteVerbose($"OpenId '{user.Input}': taken as given (batch_get_id looks up e-mail addresses and phone numbers only).");
            }
            else if (user.Status != LarkUserStatus.Found)
            {
                WriteVerbose($"{user.InputType} '{user.Input}': {user.Status}. {user.Fix}");
            }

            WriteObject(user);
        }
    }
}
