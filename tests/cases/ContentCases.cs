using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LarkPS.TestCases;

/// <summary>
/// The shared content cases (content-cases.json, copied beside the test assembly): one verdict per content, run
/// against the module's validator, the sandbox and Test-LarkMessage alike. Compiled into each test project.
/// </summary>
internal static class ContentCases
{
    /// <summary>What a case's "lark" holds when Lark sends the message.</summary>
    public const string Accepted = "accepted";

    private const string Pad = "@@PAD@@";

    private static readonly Lazy<(string ReceiveIdType, string ReceiveId, IReadOnlyList<ContentCase> Cases)> Loaded = new(Load);

    // As the module writes content and bodies: compact, '"' escaped as \", non-ASCII as is.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "cases", "content-cases.json");

    /// <summary>The receive_id_type every case is sent with (chat_id).</summary>
    public static string ReceiveIdType => Loaded.Value.ReceiveIdType;

    /// <summary>The receive_id every case is sent to: a chat the sandbox knows, with the bot in it.</summary>
    public static string ReceiveId => Loaded.Value.ReceiveId;

    public static IReadOnlyList<ContentCase> All => Loaded.Value.Cases;

    /// <summary>The case names, for [MemberData]: a row per case, named in the test results.</summary>
    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static ContentCase Get(string name) =>
        All.SingleOrDefault(c => c.Name == name) ?? throw new ArgumentException("No content case named " + name, nameof(name));

    /// <summary>
    /// The request body exactly as Send-LarkMessage sends it: {"receive_id","msg_type","content","uuid"}, with the
    /// case's own 32-digit uuid (each send carries one; sizes count it).
    /// </summary>
    public static string RequestBody(ContentCase item) => Body(ReceiveId, item.MsgType, item.Content, item.Uuid);

    /// <summary>A uuid of the length Send-LarkMessage generates (32 hex digits), fixed per case name.</summary>
    public static string UuidOf(string name) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 16).ToLowerInvariant();

    private static (string, string, IReadOnlyList<ContentCase>) Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FilePath));
        var root = document.RootElement;
        var receiver = root.GetProperty("receiver");
        var receiveIdType = receiver.GetProperty("receive_id_type").GetString()!;
        var receiveId = receiver.GetProperty("receive_id").GetString()!;
        var cases = new List<ContentCase>();
        foreach (var item in root.GetProperty("cases").EnumerateArray())
        {
            var name = item.GetProperty("name").GetString()!;
            var msgType = item.GetProperty("msg_type").GetString()!;
            var content = item.TryGetProperty("content_raw", out var raw)
                ? raw.GetString()!
                : Write(item.GetProperty("content").WriteTo);
            var lark = item.GetProperty("lark");
            int? code = lark.ValueKind == JsonValueKind.Number ? lark.GetInt32()
                : lark.GetString() == Accepted ? null
                : throw new InvalidDataException(name + ": lark must be \"accepted\" or a code");
            if (item.TryGetProperty("pad_to_body_bytes", out var pad))
            {
                content = PadTo(name, msgType, content, pad.GetInt32(), receiveId, UuidOf(name));
            }

            int? cardCode = item.TryGetProperty("card_code", out var sub) ? sub.GetInt32() : null;
            var larkPsRefuses = item.TryGetProperty("larkps", out var larkps)
                && (larkps.GetString() == "refused" ? true : throw new InvalidDataException(name + ": larkps must be \"refused\""));
            if (larkPsRefuses && (code is not null || !item.TryGetProperty("larkps_why", out _)))
            {
                throw new InvalidDataException(name + ": larkps \"refused\" is for content Lark accepts, and needs larkps_why");
            }

            cases.Add(new ContentCase(name, msgType, content, code, item.GetProperty("source").GetString()!, UuidOf(name), cardCode, larkPsRefuses));
        }

        return (receiveIdType, receiveId, cases);
    }

    private static string PadTo(string name, string msgType, string content, int bodyBytes, string receiveId, string uuid)
    {
        if (!content.Contains(Pad, StringComparison.Ordinal))
        {
            throw new InvalidDataException(name + ": pad_to_body_bytes needs " + Pad + " in the content");
        }

        var overhead = Encoding.UTF8.GetByteCount(Body(receiveId, msgType, content.Replace(Pad, string.Empty, StringComparison.Ordinal), uuid));
        var padded = content.Replace(Pad, new string('a', bodyBytes - overhead), StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetByteCount(Body(receiveId, msgType, padded, uuid));
        return bytes == bodyBytes ? padded : throw new InvalidDataException(name + ": padded body has " + bytes + " bytes, not " + bodyBytes);
    }

    private static string Body(string receiveId, string msgType, string content, string uuid) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("receive_id", receiveId);
        writer.WriteString("msg_type", msgType);
        writer.WriteString("content", content);
        writer.WriteString("uuid", uuid);
        writer.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <summary>One content and Lark's verdict on it: <see cref="Code"/> null when Lark sends it.</summary>
/// <remarks>
/// <see cref="CardCode"/>: the sub-code Lark names in a 230099's msg ("ErrCode: N"), where known. <see cref="LarkPSRefuses"/>:
/// content Lark accepts that LarkPS refuses on purpose (a table past 50 columns, whose extra columns Lark drops silently).
/// </remarks>
internal sealed record ContentCase(string Name, string MsgType, string Content, int? Code, string Source, string Uuid, int? CardCode = null, bool LarkPSRefuses = false)
{
    public bool Accepted => Code is null;

    /// <summary>What the module's validator says: Lark's verdict, except where LarkPS refuses on purpose.</summary>
    public bool LarkPSAccepts => Accepted && !LarkPSRefuses;

    public string Verdict => Code is { } code
        ? "Lark answers " + code + (CardCode is { } sub ? " (ErrCode " + sub + ")" : string.Empty)
        : LarkPSRefuses ? "Lark accepts it, LarkPS refuses it" : "Lark accepts it";

    public override string ToString() => Name;
}
