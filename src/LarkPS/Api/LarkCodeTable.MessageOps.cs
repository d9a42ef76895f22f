using System;
using System.Collections.Generic;

namespace LarkPS.Api;

/// <summary>Rows for issue 12: reply, edit, card update, recall.</summary>
internal static partial class LarkCodeTable
{
    private static LarkCode[] MessageOpRows() => Array.Empty<LarkCode>();
}
