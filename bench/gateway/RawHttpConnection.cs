using System.Net.Sockets;
using System.Text;

namespace VoiceAnalytics.Bench.Gateway;

/// <summary>
/// A minimal HTTP/1.1 keep-alive client over one socket: writes a request prepared in advance and reads the
/// response's status line, headers and body (Content-Length or chunked), nothing more. On a 2-core machine the generator
/// shares the CPU with the gateway and Postgres; this costs a fraction of HttpClient's CPU per request (as wrk would).
/// </summary>
public sealed class RawHttpConnection(Socket socket) : IDisposable
{
    private readonly byte[] _buffer = new byte[16 * 1024];

    public static async Task<RawHttpConnection> OpenAsync(Uri url)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(url.Host, url.Port);
        return new RawHttpConnection(socket);
    }

    /// <summary>Headers and body of a POST, as bytes on the wire.</summary>
    public static byte[] Request(Uri url, string path, string signatureHeader, string signature, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\n{signatureHeader}: {signature}\r\nContent-Length: {body.Length}\r\n\r\n");
        return [.. head, .. body];
    }

    /// <summary>Sends <paramref name="request"/> and returns the response's status code once its body is read.</summary>
    public async Task<int> SendAsync(byte[] request)
    {
        await socket.SendAsync(request, SocketFlags.None);
        var length = 0;
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            length += await ReceiveAsync(length);
        }
        var head = Encoding.ASCII.GetString(_buffer, 0, headerEnd);
        var status = int.Parse(head.AsSpan(9, 3));
        int? contentLength = null;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line.AsSpan(15).Trim());
            }
        }
        if (contentLength is { } known)
        {
            while (length < headerEnd + 4 + known)
            {
                length += await ReceiveAsync(length);
            }
        }
        else
        {
            // Chunked (minimal APIs stream their JSON): the body ends with the last, empty chunk.
            while (!_buffer.AsSpan(headerEnd, length - headerEnd).EndsWith("\r\n0\r\n\r\n"u8))
            {
                length += await ReceiveAsync(length);
            }
        }
        return status;
    }

    private async Task<int> ReceiveAsync(int offset)
    {
        var read = await socket.ReceiveAsync(_buffer.AsMemory(offset), SocketFlags.None);
        return read == 0 ? throw new IOException("The gateway closed the connection.") : read;
    }

    public void Dispose() => socket.Dispose();
}
