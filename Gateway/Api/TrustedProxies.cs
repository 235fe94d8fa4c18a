using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// Forwarded headers from named proxies only. <c>FORWARDED_KNOWN_PROXIES</c> (<c>TrustedProxies:KnownProxies</c>) lists
/// the reverse proxies (addresses or CIDRs) whose <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> are believed; the
/// source allowlist and the rate limits then see the client behind them. Unset, no forwarded header is believed, even
/// with ASP.NET Core's standard switch (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>), which on its own would believe
/// them from any sender: a spoofed <c>X-Forwarded-For</c> would pass the allowlist and escape the per-source limit.
/// </summary>
public static class TrustedProxies
{
    public const string InvalidMessage = "FORWARDED_KNOWN_PROXIES must be comma-separated addresses or CIDRs such as 10.0.0.5,10.1.0.0/16.";

    /// <summary>Binds <see cref="TrustedProxyOptions"/> (expects the flat name mapped onto its section) and applies it.</summary>
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.Section)
            .Validate(o => SourceAllowlist.TryParse(o.KnownProxies, out _), InvalidMessage)
            .ValidateOnStart();
        // PostConfigure: whatever configured the options before (the standard switch clears the known lists, which
        // means "believe everyone"), these are the proxies believed, or none at all.
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<TrustedProxyOptions>>((options, trusted) =>
        {
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            var proxies = KnownProxies(trusted.Value);
            if (proxies.Count == 0)
            {
                options.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var network in proxies)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        services.AddTransient<IStartupFilter, ForwardedHeadersFirst>();
        return services;
    }

    private static IReadOnlyList<System.Net.IPNetwork> KnownProxies(TrustedProxyOptions options) =>
        SourceAllowlist.TryParse(options.KnownProxies, out var proxies) ? proxies : [];

    /// <summary>With proxies configured, runs the forwarded-headers middleware before anything that looks at the client's address.</summary>
    private sealed class ForwardedHeadersFirst(IOptions<TrustedProxyOptions> trusted) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (KnownProxies(trusted.Value).Count > 0)
            {
                app.UseForwardedHeaders();
            }
            next(app);
        };
    }
}
