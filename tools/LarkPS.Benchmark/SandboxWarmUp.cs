using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LarkPS.Sandbox;

namespace LarkPS.Benchmark;

/// <summary>
/// Runs the sandbox's code paths once before anything is timed. The sandbox lives in this process, so its JIT and
/// tiering would otherwise fall on whichever contender runs first (LarkPS, in the same process and on the same two
/// cores), and not on the Node contenders that follow it. Plain HttpClient requests: no contender's code is warmed.
/// </summary>
internal static class SandboxWarmUp
{
    private const int Requests = 400;
    private const int Concurrency = 16;

    public static async Task RunAsync(SandboxDirectory directory, IReadOnlyList<BenchReceiver> receivers)
    {
        var options = new SandboxOptions { Directory = directory };
        options.Quotas.Enabled = false;
        await using var sandbox = await SandboxServer.StartAsync(options);
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };

        using var tokenBody = Json(new { app_id = sandbox.Options.AppId, app_secret = sandbox.Options.AppSecret });
        using var tokenAnswer = await http.PostAsync("open-apis/auth/v3/tenant_access_token/internal", tokenBody);
        using var tokenJson = JsonDocument.Parse(await tokenAnswer.Content.ReadAsStringAsync());
        var token = tokenJson.RootElement.GetProperty("tenant_access_token").GetString();

        var next = 0;
        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i <= Requests; i = Interlocked.Increment(ref next))
            {
                var receiver = receivers[i % receivers.Count];
                using var request = new HttpRequestMessage(HttpMethod.Post, "open-apis/im/v1/messages?receive_id_type=" + receiver.LarkIdType)
                {
                    Content = Json(new { receive_id = receiver.Id, msg_type = "text", content = "{\"text\":\"warm-up\"}", uuid = Guid.NewGuid().ToString("N") }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var answer = await http.SendAsync(request);
                await answer.Content.ReadAsStringAsync();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => WorkerAsync()));

        // Tier-1 recompilation runs in the background shortly after the calls; let it finish before the clock starts.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
