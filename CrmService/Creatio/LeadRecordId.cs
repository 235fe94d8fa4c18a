using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// The deterministic Creatio record Id of a conversation's lead: a name-based UUID (RFC 9562 version 5, SHA-1)
/// over a fixed namespace and the conversation id. Creatio creates the record with the Id it is sent, so a
/// repeated export lands on the same lead instead of creating a second one.
/// </summary>
public static class LeadRecordId
{
    /// <summary>The namespace of VoiceAnalytics lead ids. Never change it: every existing lead would get a new Id.</summary>
    public static readonly Guid Namespace = new("6f1d2c4e-8a3b-4f57-9c1e-2b7d5a90e3c4");

    public static Guid For(string conversationId) => NameBased(Namespace, conversationId);

    /// <summary>RFC 9562 §5.5: SHA-1 over the namespace (network byte order) then the UTF-8 name.</summary>
    public static Guid NameBased(Guid @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        @namespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(uuid, bigEndian: true);
    }
}
