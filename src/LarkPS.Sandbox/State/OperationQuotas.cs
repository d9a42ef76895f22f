using System.Collections.Concurrent;
using System.Globalization;
using LarkPS.Sandbox.Endpoints;
using LarkPS.Sandbox.Http;
using LarkPS.Sandbox.Quotas;

namespace LarkPS.Sandbox.State;

/// <summary>
/// The app quotas of the operations beside sending (uploads, contact look-ups, chat lists): Lark counts
/// each API on its own, 50/s and 1000/min per app for image and file uploads and batch_get_id, and
/// answers over it as it answers sends (HTTP 429, 99991400, the x-ogw-ratelimit headers). Counted on
/// arrival; a refused request takes no slot. The chat list's own limit is *unconfirmed*: it shares the
/// same figures here.
/// </summary>
internal sealed class OperationQuotas(SandboxQuotas settings)
{
    public const string Images = "im/v1/images";
    public const string Files = "im/v1/files";
    public const string Contacts = "contact/v3/users/batch_get_id";
    public const string Chats = "im/v1/chats";

    // Issue 23: batch_send, its progress/read_user/recall, and the department directory (each 1000/min and 50/s).
    public const string BatchSend = "message/v4/batch_send";
    public const string BatchMessages = "im/v1/batch_messages";
    public const string Departments = "contact/v3/departments";
    public const string DepartmentUsers = "contact/v3/users/find_by_department";

    private readonly ConcurrentDictionary<string, SendQuota> quotas = new(StringComparer.Ordinal);

    /// <summary>True when admitted; otherwise the 429 has been written.</summary>
    public async Task<bool> AdmitAsync(HttpContext context, string operation, DateTimeOffset now)
    {
        var quota = quotas.GetOrAdd(operation, _ => new SendQuota(settings));
        if (quota.TryAdmitApp(now, out var limit, out var reset))
        {
            return true;
        }

        context.Response.Headers["x-ogw-ratelimit-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["x-ogw-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
        await LarkResponses.Error(context, StatusCodes.Status429TooManyRequests, LarkCodes.AppRateLimited, "request trigger frequency limit")
            .ConfigureAwait(false);
        return false;
    }

    public void Clear()
    {
        foreach (var quota in quotas.Values)
        {
            quota.Clear();
        }
    }
}
