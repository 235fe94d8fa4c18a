using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Api;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// The admin API's rate limit (ASP.NET Core rate limiting): per presented key and per source address, each over a
/// sliding minute with a truthful Retry-After. It runs first in the pipeline, before authentication, so a flood of bad keys, of denied calls or of
/// anonymous requests is cut before it reaches the key store or the audit trail. Other paths are not limited here.
/// </summary>
public static class AdminRateLimiting
{
    public static IServiceCollection AddAdminRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AdminOptions>, TimeProvider>((options, admin, time) =>
        {
            var perKey = admin.Value.RateLimitPerKeyPerMinute;
            var perSource = admin.Value.RateLimitPerSourcePerMinute;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsAdminApi(context) && perKey > 0 && KeyOf(context.Request) is { } key
                        ? RateLimitPartition.Get(key, _ => new SlidingWindowLimiter(perKey, time))
                        : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsAdminApi(context) && perSource > 0
                        ? RateLimitPartition.Get(context.Connection.RemoteIpAddress?.ToString() ?? "", _ => new SlidingWindowLimiter(perSource, time))
                        : RateLimitPartition.GetNoLimiter("")));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                // When the sliding minute has room again: the caller is let in once it has passed.
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await response.WriteAsJsonAsync(new AdminError("rate_limited", "Too many admin API requests from this key or address; retry later."), cancellationToken);
            };
        });
        services.AddTransient<IStartupFilter, AdminRateLimitStartupFilter>();
        return services;
    }

    private static bool IsAdminApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase);

    // The presented credential, valid or not, hashed: the partition key never holds a secret.
    private static string? KeyOf(HttpRequest request)
    {
        var presented = request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : request.Headers["X-Api-Key"].ToString();
        return presented.Length == 0 ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim())));
    }

    /// <summary>Puts the rate limiter at the front of the pipeline, ahead of routing and authentication.</summary>
    private sealed class AdminRateLimitStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRateLimiter();
            next(app);
        };
    }
}
