using System;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Messages;
using LarkPS.Pacing;
using LarkPS.Uploads;

namespace LarkPS.Transports;

/// <summary>
/// The app API's rules with no connection at all: what Test-LarkMessage and -WhatIf check before Connect-Lark ran.
/// It describes and checks as an app would, and sends nothing.
/// </summary>
internal sealed class OfflineTransport : IMessageTransport
{
    public static readonly OfflineTransport Instance = new();

    private OfflineTransport()
    {
    }

    public string Name => "no connection (the app API's rules)";

    public bool DeduplicatesByUuid => true;

    public bool CanUpload => true;

    public bool HasOpenApi => true;

    public PreparedMessage Prepare(MessageInput input, string? uuidIfNone) => AppTransport.PrepareOffline(input, uuidIfNone);

    public PreparedMessage WithUuid(PreparedMessage message, string uuid) => AppTransport.ChangeUuid(message, uuid);

    public string PacingKey(PreparedMessage message) => AppTransport.KeyOf(message);

    public string DescribeTarget(PreparedMessage message, string? givenReceiver) => AppTransport.TargetOf(message, givenReceiver);

    public string DescribeAction(PreparedMessage message, bool ownUuid) => AppTransport.ActionOf(message, ownUuid);

    public RequestPreview Preview(PreparedMessage message) => AppTransport.PreviewOf(message);

    public Task<SentMessage> SendAsync(PreparedMessage message, ItemUploads? uploads, string givenReceiveId, PacingTicket ticket, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Not connected to Lark: nothing can be sent. Run Connect-Lark first.");

    public string DescribeRun(int throttleLimit, bool throttleIsAuto, int perSecond, int perMinute, int perReceiverPerSecond) => Name;
}
