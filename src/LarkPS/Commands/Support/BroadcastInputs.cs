using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LarkPS.Api;
using LarkPS.Broadcast;
using LarkPS.Messages;

namespace LarkPS.Commands.Support;

/// <summary>
/// Send-LarkBroadcast's receivers from what users have: ids and addresses as strings, Get-LarkUser and
/// Get-LarkDepartment output, CSV rows (their receiver column by the rule Send-LarkMessage uses: the first present of
/// OpenId, Email, Phone (or Mobile), Chat), and department names or ids resolved against the tree.
/// </summary>
internal static class BroadcastInputs
{
    /// <summary>A string by its shape: ou_ open_id, on_ union_id, od- department, an address with @, else a user_id.</summary>
    public static LarkBroadcastReceiver FromString(string text, object? source)
    {
        var value = text.Trim();
        var kind = value.StartsWith("ou_", StringComparison.Ordinal) ? BroadcastRun.OpenId
            : value.StartsWith("on_", StringComparison.Ordinal) ? BroadcastRun.UnionId
            : value.StartsWith("od-", StringComparison.Ordinal) ? BroadcastRun.Department
            : value.Contains("@") ? BroadcastRun.Email
            : value.StartsWith("+", StringComparison.Ordinal) ? BroadcastRun.Phone
            : BroadcastRun.UserId;
        return kind == BroadcastRun.Phone ? FromPhone(text, source) : new LarkBroadcastReceiver(kind, value, text, source);
    }

    /// <summary>A phone number, normalized as Send-LarkMessage normalizes it (its id is one spelling per number); a bad shape comes back with its Reason.</summary>
    public static LarkBroadcastReceiver FromPhone(string text, object? source)
    {
        var number = PhoneNumber.TryParse(text, out var problem);
        return number is null
            ? Invalid(BroadcastRun.Phone, text.Trim(), source, "the phone number " + problem, "Give " + PhoneNumber.ExpectedShape + ".")
            : new LarkBroadcastReceiver(BroadcastRun.Phone, number.CanonicalKey, text.Trim(), source);
    }

    /// <summary>What batch_get_id's mobiles takes for a phone receiver's id (mainland bare, others with + and the country code).</summary>
    public static string LookupValueOf(LarkBroadcastReceiver phone) => PhoneNumber.TryParse(phone.Id, out _)?.LookupValue ?? phone.Id;

    /// <summary>The receivers of one piped object (the <paramref name="itemNumber"/>th, 1-based); what cannot be a receiver comes back with its Reason set.</summary>
    public static IEnumerable<LarkBroadcastReceiver> FromPiped(PSObject piped, int itemNumber)
    {
        var item = piped.BaseObject;
        object source = item is PSCustomObject ? piped : item;
        switch (item)
        {
            case string text when !string.IsNullOrWhiteSpace(text):
                yield return FromString(text, source);
                yield break;
            case LarkUser user:
                yield return user.Status == LarkUserStatus.Found && user.OpenId is { } openId
                    ? new LarkBroadcastReceiver(BroadcastRun.OpenId, openId, user.Input, source)
                    : BroadcastRun.NotFound(new LarkBroadcastReceiver(user.InputType.ToLowerInvariant(), user.Input, user.Input, source), user);
                yield break;
            case LarkDepartment department:
                yield return new LarkBroadcastReceiver(BroadcastRun.Department, department.OpenDepartmentId, department.Path, source);
                yield break;
        }

        foreach (var input in PSInputReader.Read(piped))
        {
            var chosen = ReceiverColumns.Pick(input.ReceiverColumns, null).Chosen;
            if (chosen is { ReceiveType: ReceiveTypes.User })
            {
                yield return FromString(chosen.Value, source);
            }
            else if (chosen is { ReceiveType: ReceiveTypes.Email })
            {
                yield return new LarkBroadcastReceiver(BroadcastRun.Email, chosen.Value.Trim(), chosen.Value, source);
            }
            else if (chosen is { ReceiveType: ReceiveTypes.Phone })
            {
                yield return FromPhone(chosen.Value, source);
            }
            else if (chosen is not null)
            {
                yield return Invalid(chosen.ReceiveType, chosen.Value, source, "a broadcast goes to users and departments, not chats",
                    "Give the row an OpenId, Email or Phone column; messages into chats take Send-LarkMessage.");
            }
            else if (!string.IsNullOrWhiteSpace(input.ReceiveId))
            {
                yield return FromString(input.ReceiveId!, source);
            }
            else
            {
                // Named by its place in the input (a row has no other name), with what it has instead.
                var properties = input.PropertyNames is { Count: > 0 } names ? " (its properties: " + string.Join(", ", names) + ")" : string.Empty;
                yield return Invalid("row", "piped item " + itemNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), source,
                    "it has no OpenId, Email or Phone (Mobile) value" + properties,
                    "Give it an OpenId, Email or Phone column with a value, or pipe Get-LarkUser's output.");
            }
        }
    }

    /// <summary>
    /// Department names (or paths, open_department_ids, custom ids) to departments of the tree; a department inside
    /// another one given is dropped (the outer one reaches it). Unknown and ambiguous names come back as errors; with
    /// <paramref name="sending"/> (Send-LarkBroadcast) their fix adds that nothing was sent to it (a look-up sends nothing).
    /// </summary>
    public static List<LarkDepartment> ResolveDepartments(IEnumerable<string> given, IReadOnlyList<LarkDepartment> tree, Action<ErrorRecord> writeError, bool sending = false)
    {
        var nothingSent = sending ? " Nothing was sent to it." : string.Empty;
        var chosen = new List<LarkDepartment>();
        foreach (var name in given.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()))
        {
            var matches = tree.Where(d => d.OpenDepartmentId == name || d.DepartmentId == name).ToList();
            if (matches.Count == 0)
            {
                matches = tree.Where(d => string.Equals(d.Path, name, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            if (matches.Count == 0)
            {
                matches = tree.Where(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            }

            if (matches.Count == 1)
            {
                chosen.Add(matches[0]);
                continue;
            }

            var near = matches.Count == 0 ? NearNames.Find(tree, d => name.IndexOf('/') >= 0 ? d.Path : d.Name, name, 5) : matches;
            writeError(matches.Count == 0
                ? ErrorRecords.WithFix(new ItemNotFoundException($"No department named '{name}' is in the tree the app sees."
                        + (near.Count == 0 ? string.Empty : " Similar: " + string.Join(", ", near.Select(d => "'" + d.Path + "' (" + d.OpenDepartmentId + ")")) + ".")),
                    ErrorIds.DepartmentNotFound, ErrorCategory.ObjectNotFound, name,
                    "Get-LarkDepartment -Recurse lists the departments the app sees (names complete on Tab); a department outside the app's contact scope is not listed." + nothingSent)
                : ErrorRecords.WithFix(new ArgumentException($"'{name}' names {matches.Count} departments: " + string.Join(", ", matches.Select(m => m.Path + " (" + m.OpenDepartmentId + ")")) + "."),
                    ErrorIds.DepartmentAmbiguous, ErrorCategory.InvalidArgument, name,
                    matches.Select(m => m.Path).Distinct(StringComparer.OrdinalIgnoreCase).Count() < matches.Count
                        ? "Their paths read alike (a department's own name holds '/'): give the open_department_id (od-…) of the one meant." + nothingSent
                        : "Give the department's path (Engineering/Platform) or its open_department_id (od-…)." + nothingSent));
        }

        // A department inside another one chosen is reached by that one: Lark would deliver a second copy.
        var ids = new HashSet<string>(chosen.Select(d => d.OpenDepartmentId), StringComparer.Ordinal);
        var byId = tree.ToDictionary(d => d.OpenDepartmentId, StringComparer.Ordinal);
        bool Inside(LarkDepartment d)
        {
            var parent = d.ParentId;
            for (var guard = 0; guard < 100 && byId.TryGetValue(parent, out var up); guard++)
            {
                if (ids.Contains(up.OpenDepartmentId))
                {
                    return true;
                }

                parent = up.ParentId;
            }

            return false;
        }

        return chosen.GroupBy(d => d.OpenDepartmentId, StringComparer.Ordinal).Select(g => g.First()).Where(d => !Inside(d)).ToList();
    }

    private static LarkBroadcastReceiver Invalid(string kind, string input, object? source, string reason, string? fix) =>
        new(kind, input, input, source) { Reason = reason, Fix = fix };
}
