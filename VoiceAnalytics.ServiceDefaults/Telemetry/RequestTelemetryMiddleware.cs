using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VoiceAnalytics.ServiceDefaults.Health;

namespace VoiceAnalytics.ServiceDefaults.Telemetry;

/// <summary>
/// Names ASP.NET Core's request span after its route and tags it with the HTTP semantic conventions (no
/// instrumentation package is served here), and keeps health probes out of the exported traces.
/// </summary>
public static class RequestTelemetryMiddleware
{
    public static IApplicationBuilder UseRequestTelemetry(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var activity = Activity.Current;
        if (activity is null)
        {
            await next(context);
            return;
        }

        if (HealthEndpoints.ProbePaths.Contains(context.Request.Path.Value, StringComparer.OrdinalIgnoreCase))
        {
            // Exporters skip activities that are not recorded.
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
            await next(context);
            return;
        }

        activity.SetTag("http.request.method", context.Request.Method);
        activity.SetTag("url.path", context.Request.Path.Value);
        activity.SetTag("url.scheme", context.Request.Scheme);
        activity.SetTag("network.protocol.version", context.Request.Protocol);
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value;
            if (activity.GetTagItem("rpc.system") is null)
            {
                // gRPC calls keep the name the transport gave them: package.Service/Method.
                activity.DisplayName = $"{context.Request.Method} {route}";
            }
            activity.SetTag("http.route", route);
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
            if (context.Response.StatusCode >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    });
}
