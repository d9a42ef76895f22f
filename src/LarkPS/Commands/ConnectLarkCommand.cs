using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using LarkPS.Api;
using LarkPS.Commands.Support;
using LarkPS.Delivery;
using LarkPS.Session;
using LarkPS.Webhooks;

namespace LarkPS.Commands;

/// <summary>
/// Connect-Lark: signs a self-built app in and keeps the connection for this PowerShell session; or, with -WebhookUri,
/// keeps a group custom bot's webhook (no app, no token, no request at connect).
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Lark", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(LarkConnection))]
public sealed class ConnectLarkCommand : LarkCmdlet
{
    public const string SecretSet = "AppSecret";
    public const string CredentialSet = "Credential";
    public const string EnvironmentSet = "Environment";
    public const string AppIdVariable = "LARK_APP_ID";
    public const string AppSecretVariable = "LARK_APP_SECRET";
    public const string WebhookSet = "Webhook";
    public const string WebhookCredentialSet = "WebhookCredential";
    public const string WebhookUriVariable = "LARK_WEBHOOK_URI";
    public const string WebhookSecretVariable = "LARK_WEBHOOK_SECRET";

    /// <summary>The App ID (cli_…) from the app's Credentials and Basic Info page.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SecretSet)]
    [ValidateNotNullOrEmpty]
    public string AppId { get; set; } = string.Empty;

    /// <summary>The App Secret, as a SecureString.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SecretSet)]
    [ValidateNotNull]
    [SecureStringOnly("-AppSecret", "set $env:" + AppIdVariable + " and $env:" + AppSecretVariable + " and run Connect-Lark without -AppId and -AppSecret")]
    public SecureString? AppSecret { get; set; }

    /// <summary>
    /// User name = App ID, password = App Secret (so Get-Secret from SecretManagement works). With -WebhookUri: the
    /// password is the custom bot's signing secret (the user name is not used).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Parameter(Mandatory = true, ParameterSetName = WebhookCredentialSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// A group custom bot's webhook address (https://open.feishu.cn/open-apis/bot/v2/hook/…): a webhook connection.
    /// The address is a secret (anyone holding it can post into the group): LarkPS shows it masked only.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = WebhookSet)]
    [Parameter(Mandatory = true, ParameterSetName = WebhookCredentialSet)]
    [ValidateNotNull]
    public Uri? WebhookUri { get; set; }

    /// <summary>The custom bot's signing secret, where the group turned signature verification on.</summary>
    [Parameter(ParameterSetName = WebhookSet)]
    [ValidateNotNull]
    [SecureStringOnly("-WebhookSecret", "set $env:" + WebhookSecretVariable + " and leave -WebhookSecret out")]
    public SecureString? WebhookSecret { get; set; }

    /// <summary>Feishu (https://open.feishu.cn, the default) or Lark (https://open.larksuite.com).</summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    public LarkRegion Region { get; set; } = LarkRegion.Feishu;

    /// <summary>Any other host: the LarkPS sandbox, a gateway. https, or http to a loopback address.</summary>
    [Parameter(ParameterSetName = SecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>Seconds one HTTP request may take.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = (int)LarkConnection.DefaultTimeout.TotalSeconds;

    /// <summary>Messages per second the app may send; Lark's quota is 50. Lower it where other jobs share the app.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int QuotaPerSecond { get; set; } = 50;

    /// <summary>Messages per minute the app may send; Lark's quota is 1000.</summary>
    [Parameter]
    [ValidateRange(1, 6000000)]
    public int QuotaPerMinute { get; set; } = 1000;

    /// <summary>Messages per second to one user or into one chat; Lark's limit is 5.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int QuotaPerReceiverPerSecond { get; set; } = 5;

    /// <summary>
    /// Pace this connection on its own. By default every PowerShell on this machine that uses the same app and host (or
    /// the same webhook) shares one pacing through a small file in the temp folder, so scripts started together stay
    /// within Lark's quota together; with this switch the connection counts only its own calls.
    /// </summary>
    [Parameter]
    public SwitchParameter NoQuotaSharing { get; set; }

    /// <summary>Return the connection object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName is WebhookSet or WebhookCredentialSet || UseWebhookFromEnvironment())
        {
            ConnectWebhook();
            return;
        }

        var baseUri = ResolveBaseUri();
        var (appId, secret) = ResolveCredentials();
        var quotas = new DeliveryOptions { AppPerSecond = QuotaPerSecond, AppPerMinute = QuotaPerMinute, ReceiverPerSecond = QuotaPerReceiverPerSecond };
        var connection = new LarkConnection(appId, secret, baseUri, timeout: TimeSpan.FromSeconds(TimeoutSec), quotas: quotas, sharing: Sharing());
        WriteVerbose($"Requesting a tenant access token for app '{appId}' from {connection.BaseUri.GetLeftPart(UriPartial.Authority)}.");
        try
        {
            var token = RunAsync(connection, connection.EnsureTokenAsync);
            WriteVerbose($"Connected as app '{appId}'; the tenant token is valid until {token.ExpiresAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} and is kept in memory for this session only.");
        }
        catch (LarkApiException ex)
        {
            connection.Dispose();
            ThrowTerminatingError(ConnectError(ex, appId, baseUri));
        }
        catch
        {
            // Anything else (Ctrl+C included): the half-made connection and its copy of the secret go now.
            connection.Dispose();
            throw;
        }

        ConnectionStore.Current = connection;
        if (PassThru)
        {
            WriteObject(connection);
        }
    }

    // Issue 24: shared with the machine's other processes on the same app and host (or hook) unless -NoQuotaSharing.
    private Pacing.QuotaSharing? Sharing()
    {
        if (NoQuotaSharing)
        {
            WriteVerbose("Quota sharing is off (-NoQuotaSharing): this connection paces only its own calls.");
            return null;
        }

        WriteVerbose("Pacing is shared with the other PowerShell processes on this machine that use the same app and host (or hook), through files in " + System.IO.Path.Combine(System.IO.Path.GetTempPath(), "LarkPS-quota") + " (named by a hash; -NoQuotaSharing turns this off).");
        return new Pacing.QuotaSharing();
    }

    // Plain Connect-Lark with no app variables but LARK_WEBHOOK_URI set: the webhook of a CI job.
    private bool UseWebhookFromEnvironment() =>
        ParameterSetName == EnvironmentSet
        && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(AppIdVariable))
        && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(WebhookUriVariable));

    private void ConnectWebhook()
    {
        foreach (var appOnly in new[] { nameof(Region), nameof(BaseUri) })
        {
            if (MyInvocation.BoundParameters.ContainsKey(appOnly))
            {
                ThrowTerminatingError(ErrorRecords.WithFix(
                    new ArgumentException($"-{appOnly} does not go with a webhook: the webhook address names its host."),
                    ErrorIds.InvalidWebhookUri, ErrorCategory.InvalidArgument, null,
                    "Give the whole webhook address (https://open.feishu.cn/open-apis/bot/v2/hook/…) with -WebhookUri, without -" + appOnly + "."));
            }
        }

        var fromEnvironment = WebhookUri is null;
        var given = WebhookUri?.OriginalString ?? Environment.GetEnvironmentVariable(WebhookUriVariable);

        // The reason never repeats the address: it holds the hook token.
        if (!WebhookAddress.TryParse(given, out var hook, out var reason))
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException($"Cannot use {(fromEnvironment ? "the address in " + WebhookUriVariable : "-WebhookUri")} as a custom bot's webhook: {reason}."),
                ErrorIds.InvalidWebhookUri, ErrorCategory.InvalidArgument, null,
                "Copy the webhook address from the group's settings (Group bots > the custom bot > Webhook address): https://open.feishu.cn/open-apis/bot/v2/hook/<token> (open.larksuite.com for Lark)."));
        }

        var secret = ParameterSetName == WebhookCredentialSet ? Credential!.Password : WebhookSecret ?? SecretFromEnvironment(WebhookSecretVariable);
        var defaults = WebhookSender.DefaultQuotas();
        var quotas = new DeliveryOptions
        {
            AppPerSecond = MyInvocation.BoundParameters.ContainsKey(nameof(QuotaPerSecond)) ? QuotaPerSecond : defaults.AppPerSecond,
            AppPerMinute = MyInvocation.BoundParameters.ContainsKey(nameof(QuotaPerMinute)) ? QuotaPerMinute : defaults.AppPerMinute,
            ReceiverPerSecond = MyInvocation.BoundParameters.ContainsKey(nameof(QuotaPerReceiverPerSecond)) ? QuotaPerReceiverPerSecond : defaults.ReceiverPerSecond,
        };
        var connection = new LarkConnection(hook!, secret, timeout: TimeSpan.FromSeconds(TimeoutSec), quotas: quotas, sharing: Sharing());
        WriteVerbose($"Connected to the custom bot {hook!.Masked} ({(connection.IsSigned ? "requests are signed with its secret" : "unsigned: no secret given")}); no request was made, so the address and secret are checked by the first send.");
        ConnectionStore.Current = connection;
        if (PassThru)
        {
            WriteObject(connection);
        }
    }

    private static SecureString? SecretFromEnvironment(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var secret = new SecureString();
        foreach (var ch in text!)
        {
            secret.AppendChar(ch);
        }

        secret.MakeReadOnly();
        return secret;
    }

    private Uri ResolveBaseUri()
    {
        if (BaseUri is null)
        {
            if (Region == LarkRegion.Custom)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException("-Region Custom needs -BaseUri with the host to use."),
                    ErrorIds.InvalidBaseUri, ErrorCategory.InvalidArgument, Region));
            }

            return LarkHosts.For(Region);
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Region)) && Region != LarkRegion.Custom)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"Give either -Region or -BaseUri, not both: -Region {Region} means {LarkHosts.For(Region)}, -BaseUri names another host."),
                ErrorIds.RegionAndBaseUri, ErrorCategory.InvalidArgument, BaseUri));
        }

        if (!HostRules.IsAcceptable(BaseUri, out var reason))
        {
            ThrowTerminatingError(ErrorRecords.WithFix(
                new ArgumentException($"Cannot use -BaseUri '{BaseUri}': {reason}."),
                ErrorIds.InvalidBaseUri, ErrorCategory.InvalidArgument, BaseUri,
                "Use the https address of the Lark host, or http://127.0.0.1:<port> for the LarkPS sandbox."));
        }

        return BaseUri;
    }

    private (string AppId, SecureString Secret) ResolveCredentials()
    {
        switch (ParameterSetName)
        {
            case SecretSet:
                return (AppId, AppSecret!);
            case CredentialSet:
                if (string.IsNullOrWhiteSpace(Credential!.UserName))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException("The credential's user name must be the App ID (cli_…); it is empty."),
                        ErrorIds.MissingCredentials, ErrorCategory.InvalidArgument, null));
                }

                // PSCredential on Windows PowerShell prefixes a backslash when the user name has no domain.
                return (Credential.UserName.TrimStart('\\'), Credential.Password);
            default:
                var appId = Environment.GetEnvironmentVariable(AppIdVariable);
                // A secret set from a file or an echo carries its line break: no App Secret has whitespace in it.
                var secretText = Environment.GetEnvironmentVariable(AppSecretVariable)?.Trim();
                if (string.IsNullOrWhiteSpace(appId) || string.IsNullOrEmpty(secretText))
                {
                    // One of the two set: name the other, not "no credentials given".
                    var missing = string.IsNullOrWhiteSpace(appId) == string.IsNullOrEmpty(secretText)
                        ? $"No credentials given: pass -AppId and -AppSecret, or -Credential, or set the environment variables {AppIdVariable} and {AppSecretVariable}."
                        : string.IsNullOrEmpty(secretText)
                        ? $"{AppIdVariable} is set but {AppSecretVariable} is not (or is empty): set {AppSecretVariable} to the App Secret, or pass -AppId and -AppSecret, or -Credential."
                        : $"{AppSecretVariable} is set but {AppIdVariable} is not (or is empty): set {AppIdVariable} to the App ID (cli_…), or pass -AppId and -AppSecret, or -Credential.";
                    ThrowTerminatingError(ErrorRecords.WithFix(
                        new InvalidOperationException(missing),
                        ErrorIds.MissingCredentials, ErrorCategory.AuthenticationError, null,
                        "Copy the App ID and App Secret from the app's 'Credentials & Basic Info' page in the Lark/Feishu developer console."));
                }

                var secret = new SecureString();
                foreach (var ch in secretText!)
                {
                    secret.AppendChar(ch);
                }

                secret.MakeReadOnly();
                return (appId!.Trim(), secret);
        }
    }

    // Id, category and fix come from the code table's row for the token endpoint; only the sentence is made here.
    private static ErrorRecord ConnectError(LarkApiException ex, string appId, Uri baseUri)
    {
        var host = baseUri.Host;
        var logId = ex.LogId is null ? string.Empty : $" Lark log id: {ex.LogId}.";
        var message = ex.Code != 0 && !ex.IsTransport
            ? $"Lark {ex.Row.Meaning} (app '{appId}' on {host}, code {ex.Code.ToString(CultureInfo.InvariantCulture)}: {ex.LarkMessage ?? "no msg"}).{logId}"
            : "Could not connect to Lark: " + ex.Message;
        var action = ex.Row.Fix is { } fix && ex.IsTransport ? fix.Replace("the host", host) : ex.Row.Fix;
        return ErrorRecords.WithFix(
            new LarkApiException(message, ex.Code, ex.LarkMessage, ex.HttpStatus, ex.LogId, isTransport: ex.IsTransport, innerException: ex, operation: LarkOperation.Token),
            ex.Row.ErrorId, ex.Row.Category, appId, action);
    }
}
