using System;
using System.Collections.Generic;

namespace LarkPS.Api;

/// <summary>Rows for issue 13: custom-bot webhooks.</summary>
internal static partial class LarkCodeTable
{
    private static LarkCode[] WebhookRows() => Array.Empty<LarkCode>();
}
