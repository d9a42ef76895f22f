using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Delivery;
using LarkPS.Session;

namespace LarkPS.Commands.Support;

/// <summary>One message a change cmdlet acts on, as the delivery engine and the error records see it.</summary>
internal interface IMessageWork
{
    string MessageId { get; }

    /// <summary>What the user gave: the error's TargetObject.</summary>
    object? Target { get; }

    /// <summary>"message om_…", for messages.</summary>
    string Description { get; }

    /// <summary>"edit", "update", "recall": finishes "Could not …".</summary>
    string Verb { get; }

    /// <summary>The limiter's per-receiver key (a card's 5 updates a second), or null for none.</summary>
    string? ReceiverKey { get; }
}

/// <summary>
/// Runs Set-LarkMessage's and Remove-LarkMessage's calls through the same delivery engine and scheduler as
/// Send-LarkMessage: the connection's one rate limiter (edits, updates and recalls count against the app's quota like
/// sends; a card's updates against its own 5 a second), the code table's retries (PUT, PATCH and DELETE are safe to
/// repeat), Ctrl+C. Events are written on the pipeline thread only.
/// </summary>
internal sealed class MessageChangeRun<TWork, TResult> : IDisposable
    where TWork : class, IMessageWork
{
    private readonly Cmdlet _cmdlet;
    private readonly DeliveryEngine<TWork, TResult> _engine;
    private readonly Action<TResult, int> _setAttempts;
    private int _succeeded;
    private int _failed;

    public MessageChangeRun(
        Cmdlet cmdlet,
        LarkConnection connection,
        Func<MessageActions, TWork, CancellationToken, Task<TResult>> sendOnce,
        Action<TResult, int> setAttempts,
        CancellationToken stopToken)
    {
        _cmdlet = cmdlet ?? throw new ArgumentNullException(nameof(cmdlet));
        _setAttempts = setAttempts ?? throw new ArgumentNullException(nameof(setAttempts));
        var client = connection.Client;
        var options = connection.CreateDeliveryOptions();
        _engine = new DeliveryEngine<TWork, TResult>(
            options,
            connection.RateLimiter,
            new RetryPolicy(options.Pacing),
            connection.Clock,
            work => work.ReceiverKey,
            (work, ticket, ct) => sendOnce(new MessageActions(client, ticket), work, ct),
            stopToken);
    }

    public void Submit(TWork work)
    {
        foreach (var delivery in _engine.Submit(work))
        {
            Handle(delivery);
        }
    }

    /// <summary>Waits for what is in flight and writes it.</summary>
    public (int Succeeded, int Failed) Complete()
    {
        foreach (var delivery in _engine.Complete())
        {
            Handle(delivery);
        }

        return (_succeeded, _failed);
    }

    public void Dispose() => _engine.Dispose();
    private void Handle(DeliveryEvent<TWork, TResult> delivery)
    {
        var work = delivery.Work;
        switch (delivery.Kind)
        {
            case DeliveryEventKind.Retrying:
                _cmdlet.WriteVerbose($"Retrying the {work.Verb} of {work.Description}: {delivery.Reason}");
                break;
            case DeliveryEventKind.Succeeded:
                _succeeded++;
                _setAttempts(delivery.Result!, delivery.Attempts);
                _cmdlet.WriteObject(delivery.Result);
                break;
            case DeliveryEventKind.Failed:
                _failed++;
                _cmdlet.WriteError(delivery.Exception is LarkApiException lark
                    ? SendErrors.For(lark, work.Target, work.Description, work.Verb)
                    : ErrorRecords.WithFix(
                        delivery.Exception!, ErrorIds.MessageChangeFailed, ErrorCategory.NotSpecified, work.Target, null,
                        $"Could not {work.Verb} {work.Description}: {delivery.Exception!.Message}"));
                break;
            case DeliveryEventKind.Stopped:
                _failed++;
                _cmdlet.WriteError(ErrorRecords.WithFix(
                    new OperationCanceledException($"Stopped before Lark confirmed the {work.Verb} of {work.Description}; it may or may not have happened."),
                    ErrorIds.MessageChangeStopped, ErrorCategory.OperationStopped, work.Target,
                    $"Run the {work.Verb} again: it is safe to repeat (the same content again, or a recall that finds the message gone)."));
                break;
        }
    }
}

/// <summary>What Set-LarkMessage and Remove-LarkMessage check before anything is sent.</summary>
internal static class MessageChangeInput
{
    /// <summary>A message id as Lark issues them (om_…), or the problem with what was given.</summary>
    public static string? CheckMessageId(string? given, object? target, out ErrorRecord? problem)
    {
        var id = given?.Trim();
        problem = null;
        if (string.IsNullOrEmpty(id))
        {
            problem = ErrorRecords.WithFix(
                new ArgumentException("No MessageId was given."), ErrorIds.InvalidMessageId, ErrorCategory.InvalidArgument, target,
                "Pipe Send-LarkMessage's output, or give -MessageId om_… (the message_id Lark answered the send with).");
            return null;
        }

        if (!id!.StartsWith("om_", StringComparison.Ordinal))
        {
            problem = ErrorRecords.WithFix(
                new ArgumentException($"'{id}' is not a Lark message id: those start with om_."), ErrorIds.InvalidMessageId, ErrorCategory.InvalidArgument, target,
                "Give the MessageId Send-LarkMessage wrote (om_…), not a chat id (oc_…) or a uuid.");
            return null;
        }

        return id;
    }

    /// <summary>True under -WhatIf (given or by $WhatIfPreference): then nothing is sent and no connection is needed.</summary>
    public static bool IsWhatIf(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound))
        {
            return bound is SwitchParameter { IsPresent: true };
        }

        return cmdlet.GetVariableValue("WhatIfPreference") is { } preference && LanguagePrimitives.IsTrue(preference);
    }

    /// <summary>
    /// The app connection to act through. A webhook connection only posts into its group: it cannot reply, edit or
    /// recall, which is a broken precondition (terminating), said with the fix. Under -WhatIf none is required.
    /// </summary>
    public static LarkConnection? ForChanges(PSCmdlet cmdlet, LarkConnection? given, Func<LarkConnection?, LarkConnection> require, string verb)
    {
        var candidate = given ?? ConnectionStore.Current;
        if (candidate is { Kind: LarkConnectionKind.Webhook, IsClosed: false })
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.WithFix(
                new InvalidOperationException($"The connection is a custom-bot webhook ({candidate.WebhookUri}): a webhook only posts into its group and cannot {verb} messages."),
                ErrorIds.WebhookCannotActOnMessages, ErrorCategory.InvalidOperation, candidate,
                $"Connect with the app that sent the messages and pass that connection: $app = Connect-Lark -AppId <cli_…> -AppSecret <secret> -PassThru; … | {cmdlet.MyInvocation.MyCommand.Name} -Connection $app."));
        }

        return IsWhatIf(cmdlet) ? null : require(given);
    }
}
