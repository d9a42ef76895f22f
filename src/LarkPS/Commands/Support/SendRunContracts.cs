using System;
using System.Management.Automation;

namespace LarkPS.Commands.Support;

/// <summary>What a send run needs of the cmdlet running it: PowerShell's streams and questions, on the pipeline thread.</summary>
internal interface ISendRunHost
{
    void WriteObject(object value);

    void WriteError(ErrorRecord record);

    void WriteWarning(string text);

    void WriteVerbose(string text);

    void WriteProgress(ProgressRecord record);

    /// <summary>ShouldProcess, asked once per item; false skips it (-WhatIf, or No at a -Confirm prompt).</summary>
    bool ShouldSend(string target, string action);

    /// <summary>-Debug gathers the requests of this connection from now on.</summary>
    void WatchDebug(Session.LarkConnection connection);

    /// <summary>Writes what -Debug gathered so far.</summary>
    void FlushDebug();

    void ThrowTerminatingError(ErrorRecord record);
}

/// <summary>How a send run ends: its input ended, the pipeline was stopped (Ctrl+C), or -ErrorAction Stop met an error.</summary>
internal enum SendRunEnd
{
    EndOfInput,
    PipelineStopped,
    ErrorActionStop,
}

/// <summary>What a send run is told once: its transport, pace, budget, and how it stops.</summary>
internal sealed class SendRunSettings
{
    public SendRunSettings(Transports.IMessageTransport transport, int? throttleLimit, TimeSpan itemDeadline, bool stopOnError, bool force)
    {
        Transport = transport ?? throw new ArgumentNullException(nameof(transport));
        ThrottleLimit = throttleLimit;
        ItemDeadline = itemDeadline;
        StopOnError = stopOnError;
        Force = force;
    }

    public Transports.IMessageTransport Transport { get; }

    /// <summary>-ThrottleLimit where given; null follows the round trip.</summary>
    public int? ThrottleLimit { get; }

    public TimeSpan ItemDeadline { get; }

    public bool StopOnError { get; }

    /// <summary>-Force with -Journal: resend items that may have arrived past Lark's uuid window.</summary>
    public bool Force { get; }
}
