using NSec.Cryptography;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>The Ed25519 keys of access tokens: the active one signs, every one verifies and is published as a JWK.</summary>
public sealed class SigningKeyRing : IDisposable
{
    private readonly Dictionary<string, Key> _keys;

    public SigningKeyRing(IReadOnlyDictionary<string, byte[]> privateKeys, string activeKeyId)
    {
        ArgumentNullException.ThrowIfNull(privateKeys);
        if (!privateKeys.ContainsKey(activeKeyId))
        {
            throw new InvalidOperationException($"Auth:ActiveSigningKeyId '{activeKeyId}' is not among Auth:SigningKeys.");
        }
        _keys = new Dictionary<string, Key>(StringComparer.Ordinal);
        foreach (var (id, raw) in privateKeys)
        {
            if (raw.Length != 32)
            {
                throw new InvalidOperationException($"Auth:SigningKeys:{id} must be the base64 of a 32-byte Ed25519 private key.");
            }
            _keys[id] = Key.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPrivateKey);
        }
        ActiveKeyId = activeKeyId;
    }

    public string ActiveKeyId { get; }

    /// <summary>Key ids and raw 32-byte public keys, for the JWKS document.</summary>
    public IEnumerable<(string KeyId, byte[] PublicKey)> PublicKeys =>
        _keys.Select(k => (k.Key, k.Value.PublicKey.Export(KeyBlobFormat.RawPublicKey)));

    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_keys[ActiveKeyId], data);

    /// <summary>False for an unknown key id as for a bad signature.</summary>
    public bool Verify(string keyId, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _keys.TryGetValue(keyId, out var key) && signature.Length == SignatureAlgorithm.Ed25519.SignatureSize
        && SignatureAlgorithm.Ed25519.Verify(key.PublicKey, data, signature);

    public bool Knows(string keyId) => _keys.ContainsKey(keyId);

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
