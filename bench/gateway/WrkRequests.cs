using System.Text;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Bench.Gateway;

/// <summary>
/// Pre-signed, distinct webhook requests for wrk (bench/gateway/wrk-requests.lua), so the client that shares the two
/// cores with the gateway costs what pgbench's client costs, not a .NET process's share. Each request is written as
/// <c>&lt;length&gt;\n&lt;raw HTTP/1.1 request&gt;</c>.
/// </summary>
public static class WrkRequests
{
    public static void Write(string path, Uri url, WebhookSigner signer, int count, string run, int bodyBytes)
    {
        var now = DateTimeOffset.UtcNow;
        var requests = new byte[count][];
        Parallel.For(0, count, i =>
        {
            var body = BenchBody.Create($"conv_bench_{run}_{i:D7}", bodyBytes);
            requests[i] = RawHttpConnection.Request(url, WebhookSigner.Path, WebhookSigner.HeaderName, signer.Sign(body, now), body);
        });
        using var file = new BufferedStream(File.Create(path), 1 << 20);
        foreach (var request in requests)
        {
            file.Write(Encoding.ASCII.GetBytes($"{request.Length}\n"));
            file.Write(request);
        }
        Console.WriteLine($"{count} requests for wrk in {path}");
    }
}
