using System;
using System.Management.Automation;

namespace LarkPS.Commands.Support;

/// <summary>
/// A secret parameter (-AppSecret, -WebhookSecret) given as plain text: refused with the ways to give it, instead of
/// PowerShell's "Cannot convert the value of type System.String to type SecureString". The text is not echoed.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SecureStringOnlyAttribute : ArgumentTransformationAttribute
{
    public SecureStringOnlyAttribute(string parameter, string environment)
    {
        Parameter = parameter;
        Environment = environment;
    }

    /// <summary>The parameter's name, as the message says it (-AppSecret).</summary>
    public string Parameter { get; }

    /// <summary>How to give the secret through the environment instead ("set $env:X and leave -Y out").</summary>
    public string Environment { get; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is string)
        {
            throw new ArgumentTransformationMetadataException(
                Parameter + " takes a SecureString, not plain text, so that the secret stays out of the command line, its history and transcripts. " +
                "Give " + Parameter + " (Read-Host -AsSecureString), a secret vault's SecureString (Get-Secret), or " + Environment +
                "; in a script that already holds the text, " + Parameter + " (ConvertTo-SecureString $text -AsPlainText -Force).");
        }

        return inputData;
    }
}
