using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;
using LarkPS.Transports;
using LarkPS.Uploads;

namespace LarkPS.Commands.Support;

/// <summary>One accepted item on its way: the prepared message plus what errors and output name it by.</summary>
internal sealed class SendWork
{
    public SendWork(long sequence, InputItem item, string givenReceiveId, PreparedMessage prepared, ItemUploads? uploads, bool deduplicated)
    {
        Sequence = sequence;
        Item = item;
        GivenReceiveId = givenReceiveId;
        Prepared = prepared;
        Uploads = uploads;
        Deduplicated = deduplicated;
    }

    /// <summary>The item's place among the accepted items: results are written in this order.</summary>
    public long Sequence { get; }

    public InputItem Item { get; }

    public object? Target => Item.Target;

    public string Description => Item.Description;

    public string GivenReceiveId { get; }

    /// <summary>What the transport sends, its body made once.</summary>
    public PreparedMessage Prepared { get; }

    public Messages.OutgoingMessage Message => Prepared.Message!;

    /// <summary>Local files to upload before the send, their keys filling the content's placeholders; null for none.</summary>
    public ItemUploads? Uploads { get; }

    /// <summary>False when the transport cannot de-duplicate (a hook): an attempt that may have arrived is never resent.</summary>
    public bool Deduplicated { get; }

    /// <summary>The item's key in the -Journal, if one is kept.</summary>
    public string? JournalKey { get; set; }

    /// <summary>"item 51 (chat oc_…) uuid 3f…": enough to find the item and send it again without doubling it.</summary>
    public string Describe() => Deduplicated ? Description + " uuid " + Message.Uuid : Description + " (webhook: check the group before sending it again)";

    /// <summary>The item as LastDelivery lists it: piped to Send-LarkMessage it goes again with its uuid, so Lark never delivers it twice.</summary>
    public UnconfirmedMessage ToUnconfirmed(UnconfirmedStatus status, string? reason) => new(
        Description,
        status,
        Message.ReceiveType,
        GivenReceiveId,
        Message.MsgType,
        Message.Content,
        Deduplicated ? Message.Uuid : null,
        Target,
        Deduplicated ? reason : reason + " A webhook request has no uuid: check the group before sending it again.");

    /// <summary>A Stopped item: never started when no attempt was made, else it may have arrived.</summary>
    public UnconfirmedMessage ToUnconfirmed(DeliveryEvent<SendWork, SentMessage> stopped) =>
        ToUnconfirmed(stopped.Attempts == 0 ? UnconfirmedStatus.NotStarted : UnconfirmedStatus.MayHaveArrived, stopped.Reason);
}
