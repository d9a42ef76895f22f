using LarkPS.Sandbox;

// The command line is a thin shell over SandboxServer: in-process tests and this program share one code path.
return await SandboxCommandLine.RunAsync(args).ConfigureAwait(false);
