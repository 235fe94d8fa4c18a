using System.Net;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>The optional source-address allowlist (<c>WEBHOOK_ALLOWED_CIDRS</c>); empty means every address is allowed.</summary>
public sealed class SourceAllowlist
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    public SourceAllowlist(IOptions<WebhookOptions> options)
    {
        _networks = TryParse(options.Value.AllowedCidrs, out var networks)
            ? networks
            : throw new OptionsValidationException(nameof(WebhookOptions.AllowedCidrs), typeof(WebhookOptions), [InvalidMessage]);
    }

    public bool IsAllowed(IPAddress? address)
    {
        if (_networks.Count == 0)
        {
            return true;
        }
        if (address is null)
        {
            return false;
        }
        // Kestrel on a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(normalized));
    }

    public const string InvalidMessage = "WEBHOOK_ALLOWED_CIDRS must be comma-separated CIDRs such as 203.0.113.10/32,2600:1900::/28.";

    /// <summary>Comma-separated CIDRs (a bare address means that one host); false when one is not an address.</summary>
    public static bool TryParse(string? cidrs, out IReadOnlyList<IPNetwork> networks)
    {
        var parsed = new List<IPNetwork>();
        networks = parsed;
        foreach (var entry in (cidrs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                parsed.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var host))
            {
                parsed.Add(new IPNetwork(host, host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                return false;
            }
        }
        return true;
    }
}
