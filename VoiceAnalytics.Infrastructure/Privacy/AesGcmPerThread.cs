using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// One <see cref="AesGcm"/> per key of the ring and per thread. Creating one costs more than sealing a few kilobytes
/// with it (OpenSSL looks the cipher up and expands the key each time), and an instance must never be used by two
/// threads at once: each thread keeps its own, so there is no lock and no sharing. An instance is used only inside
/// one synchronous call, never across an await. The instances of a thread that has ended are released with its slot.
/// </summary>
internal sealed class AesGcmPerThread(PiiKeyRing ring)
{
    private readonly ConcurrentDictionary<string, ThreadLocal<AesGcm>> _byKeyId = new(StringComparer.Ordinal);

    /// <summary>The calling thread's instance for the active key.</summary>
    public AesGcm Active => TryGet(ring.ActiveKeyId, out var aes) ? aes : throw new InvalidOperationException("The active key is not in the ring.");

    /// <summary>The calling thread's instance for <paramref name="keyId"/>; false when the ring has no such key.</summary>
    public bool TryGet(string keyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AesGcm? aes)
    {
        if (!_byKeyId.TryGetValue(keyId, out var perThread))
        {
            if (!ring.TryGetKey(keyId, out var key))
            {
                aes = null;
                return false;
            }
            perThread = _byKeyId.GetOrAdd(keyId, static (_, k) => new ThreadLocal<AesGcm>(() => new AesGcm(k, PiiEnvelope.TagSize)), key);
        }
        aes = perThread.Value!;
        return true;
    }
}
