using System.Text.RegularExpressions;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// The AES-256 keys by id, which one encrypts new values, and the HMAC key of the lookup hash. Immutable: a
/// rotation is a configuration change (add a key, point <c>ActiveKeyId</c> at it) and a restart.
/// </summary>
public sealed partial class PiiKeyRing
{
    private readonly Dictionary<string, byte[]> _keys;

    public PiiKeyRing(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId, byte[] hashKey)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(hashKey);
        foreach (var (id, key) in keys)
        {
            if (!IsValidKeyId(id))
            {
                throw new ArgumentException($"Privacy key id '{id}' must be 1-32 characters of A-Z, a-z, 0-9, '_' or '-'.", nameof(keys));
            }
            if (key.Length != 32)
            {
                throw new ArgumentException($"Privacy key '{id}' must be 32 bytes (AES-256), not {key.Length}.", nameof(keys));
            }
        }
        if (!keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"Privacy:ActiveKeyId '{activeKeyId}' is not one of the configured keys.", nameof(activeKeyId));
        }
        if (hashKey.Length < 32)
        {
            throw new ArgumentException("Privacy:HashKey must be at least 32 bytes.", nameof(hashKey));
        }
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
        ActiveKeyId = activeKeyId;
        HashKey = hashKey.ToArray();
    }

    public string ActiveKeyId { get; }

    public byte[] ActiveKey => _keys[ActiveKeyId];

    public byte[] HashKey { get; }

    public bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    public static bool IsValidKeyId(string id) => KeyIdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyIdPattern();
}
