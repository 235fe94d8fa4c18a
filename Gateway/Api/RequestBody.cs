using System.Buffers;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// A request body read into one pooled array, chunk by chunk as it arrives (chunked or not), stopping as soon as
/// it passes the limit. The signature covers the exact bytes, so they are kept as received. Memory follows the
/// bytes received, not the Content-Length claimed, which nobody has authenticated yet.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private const int FirstChunk = 16 * 1024;

    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length, ArrayPool<byte> pool)
    {
        _buffer = buffer;
        _pool = pool;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static Task<RequestBody?> ReadAsync(Stream body, long? contentLength, int maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(body, contentLength, maxBytes, ArrayPool<byte>.Shared, cancellationToken);

    /// <summary>The body read into arrays of <paramref name="pool"/>, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<RequestBody?> ReadAsync(
        Stream body, long? contentLength, int maxBytes, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(pool);
        if (contentLength > maxBytes)
        {
            return null;
        }
        // The declared length is the sender's claim, made before its signature is checked: it may only shrink the
        // first buffer, never enlarge it. The buffer doubles as bytes actually arrive, to at most the limit plus one
        // byte (the byte that proves it is too long), so a slow sender holds only what it has sent.
        var buffer = pool.Rent(contentLength is { } known ? (int)Math.Min(known + 1, FirstChunk) : FirstChunk);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = pool.Rent((int)Math.Min((long)maxBytes + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    pool.Return(buffer);
                    return null;
                }
            }
            return new RequestBody(buffer, length, pool);
        }
        catch
        {
            pool.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            _pool.Return(buffer);
        }
    }
}
