using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for what HttpClient will not send: duplicated headers, a Content-Length
/// that lies, a body that trickles in or stalls, a garbage request line. Returns the status code, or 0 when the
/// server closed the connection without one.
/// </summary>
public static class RawHttp
{
    public static async Task<int> SendAsync(Uri server, string head, byte[] body, TimeSpan? trickle = null, bool closeEarly = false)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            if (trickle is { } pause)
            {
                // A slow sender: the body in ten pieces with a pause between them.
                var piece = Math.Max(1, body.Length / 10);
                for (var offset = 0; offset < body.Length; offset += piece)
                {
                    await stream.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)), timeout.Token);
                    await stream.FlushAsync(timeout.Token);
                    await Task.Delay(pause, timeout.Token);
                }
            }
            else
            {
                await stream.WriteAsync(body, timeout.Token);
            }
            if (closeEarly)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
            var buffer = new byte[512];
            var read = await stream.ReadAtLeastAsync(buffer, 12, throwOnEndOfStream: false, timeout.Token);
            var line = Encoding.ASCII.GetString(buffer, 0, read);
            return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                ? status
                : 0;
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return 0; // the server dropped the connection: a refusal, not a crash (liveness is checked separately)
        }
    }

    /// <summary>A request head for <c>POST /webhooks/elevenlabs</c> with the given header lines.</summary>
    public static string PostHead(Uri server, IEnumerable<string> headers) =>
        $"POST {TestSupport.WebhookSigner.Path} HTTP/1.1\r\nHost: {server.Authority}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}Connection: close\r\n\r\n";
}
