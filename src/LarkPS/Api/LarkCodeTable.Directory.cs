using System;
using System.Collections.Generic;

namespace LarkPS.Api;

/// <summary>Rows for issue 11: chats, user look-ups, uploads.</summary>
internal static partial class LarkCodeTable
{
    private static LarkCode[] DirectoryRows() => Array.Empty<LarkCode>();
}
